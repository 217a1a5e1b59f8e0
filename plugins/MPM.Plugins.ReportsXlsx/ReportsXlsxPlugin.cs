using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Reports;

namespace MPM.Plugins.ReportsXlsx;

/// <summary>Renders the core's reports as Excel workbooks.</summary>
public sealed class ReportsXlsxPlugin : IPlugin
{
    public const string Id = "reports-xlsx";

    public void Configure(IPluginBuilder plugin) => plugin.Services.AddKeyedSingleton<IReportPack, XlsxReportPack>(Id);
}
