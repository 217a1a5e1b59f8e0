using System.Data.Common;
using MPM.Data;
using MPM.Sdk;

namespace MPM.Web.Plugins;

public sealed class PluginDatabase(Database database) : IPluginDatabase
{
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await database.DataSource.OpenConnectionAsync(cancellationToken);

    public string SchemaOf(string pluginId) => Database.PluginSchema(pluginId);
}
