using System.Data.Common;

namespace MPM.Sdk;

/// <summary>
/// Database access for plugins that own tables. A plugin ships numbered SQL files as embedded resources
/// named <c>*.Migrations.NNNN_name.sql</c>; the host applies them in schema <c>plg_{id}</c> (dashes become underscores).
/// Plugins never write the core's tables: they call the core services.
/// </summary>
public interface IPluginDatabase
{
    /// <summary>An open connection; the caller disposes it.</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>The plugin's schema name, e.g. <c>plg_sts</c>.</summary>
    string SchemaOf(string pluginId);
}
