using Microsoft.Extensions.DependencyInjection;
using MPM.Sdk;
using MPM.Sdk.Payments;

namespace MPM.Fixtures.Payments;

public sealed class PaymentsPlugin : IPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.Services.AddKeyedScoped<IPaymentProvider, FixturePaymentProvider>(plugin.Manifest.Id);
}

public sealed class FixturePaymentProvider : IPaymentProvider
{
    public string? DetailPartial => "/Areas/FixturePayments/Pages/_TransactionDetail.cshtml";

    public Task<OutcomeDelivery> ReportOutcomeAsync(PaymentOutcome outcome, CancellationToken cancellationToken) =>
        Task.FromResult(new OutcomeDelivery(true, "ok"));
}
