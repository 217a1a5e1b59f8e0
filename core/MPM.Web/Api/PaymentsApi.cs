using System.ComponentModel.DataAnnotations;
using MPM.Sdk.Payments;
using MPM.Web.Features.Operator;

namespace MPM.Web.Api;

/// <summary><c>POST /api/v1/payments</c>: a payment through the same intake as the provider plugins, as provider "api".</summary>
public static class PaymentsApi
{
    public const string Provider = "api";

    public sealed record PaymentRequest(string? Reference, string? MeterSerial, decimal? Amount, string? PayerPhone);

    public sealed record PaymentAccepted(long TransactionId, string Status);

    public static void MapPayments(this RouteGroupBuilder api) =>
        api.MapPost("/payments", async (IPaymentIntake intake, OperatorProfile profile, HttpContext context, CancellationToken cancellationToken) =>
            {
                // Read here, not bound by the framework: bound, a body that is not JSON was refused by routing and fell
                // through to the API's fallback (404), and a chunked body over the limit was not answered 413.
                var (request, bodyProblem) = await ApiResults.ReadBodyAsync<PaymentRequest>(context.Request, cancellationToken);
                if (request is null)
                {
                    return bodyProblem!;
                }

                var errors = new Dictionary<string, string[]>();
                if (string.IsNullOrWhiteSpace(request.Reference))
                {
                    errors["reference"] = ["reference is required"];
                }

                if (string.IsNullOrWhiteSpace(request.MeterSerial))
                {
                    errors["meterSerial"] = ["meterSerial is required"];
                }

                if (request.Amount is null)
                {
                    errors["amount"] = ["amount is required"];
                }

                if (errors.Count > 0)
                {
                    return Results.ValidationProblem(errors);
                }

                var raw = System.Text.Json.JsonSerializer.Serialize(request, System.Text.Json.JsonSerializerOptions.Web);
                var currency = (await profile.GetAsync(cancellationToken)).Currency;
                var result = await intake.SubmitAsync(new IncomingPayment(Provider, request.Reference!, request.MeterSerial!, request.Amount!.Value, currency, request.PayerPhone, raw), cancellationToken);
                if (!result.Accepted)
                {
                    return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Payment refused", detail: result.RefusalMessage,
                        extensions: new Dictionary<string, object?> { ["code"] = result.RefusalCode });
                }

                var status = await StatusAsync(context.RequestServices, result.TransactionId!.Value, cancellationToken);
                return Results.Json(new PaymentAccepted(result.TransactionId.Value, status), statusCode: StatusCodes.Status202Accepted);
            })
            .JsonBody<PaymentRequest>()
            .WithName("SubmitPayment")
            .WithSummary("Submits a payment for a meter; idempotent on reference. 202 with the transaction, 422 when refused (e.g. unknown meter).")
            .Produces<PaymentAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<string> StatusAsync(IServiceProvider services, long transactionId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<MPM.Data.MpmDb>();
        return await LinqToDB.Async.AsyncExtensions.FirstAsync(db.Transactions.Where(t => t.Id == transactionId).Select(t => t.Status), cancellationToken);
    }
}
