using System.Data.Common;

namespace MPM.Sdk.Data;

/// <summary>
/// Plain ADO.NET for plugins' own tables (see <see cref="IPluginDatabase"/>): parameters are positional,
/// written <c>@p0</c>, <c>@p1</c>… in the SQL; null values are sent as SQL NULL.
/// </summary>
public static class DbConnectionExtensions
{
    public static async Task<int> ExecuteAsync(this DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(this DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public static async Task<List<T>> QueryAsync<T>(this DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken = default)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<object?> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"p{i}";
            parameter.Value = parameters[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
