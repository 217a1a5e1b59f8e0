using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Reports;

namespace MPM.Plugins.ReportsPdf;

/// <summary>Renders the core's reports as PDF documents.</summary>
public sealed class ReportsPdfPlugin : IPlugin
{
    public const string Id = "reports-pdf";

    public void Configure(IPluginBuilder plugin) => plugin.Services.AddKeyedSingleton<IReportPack, PdfReportPack>(Id);
}
