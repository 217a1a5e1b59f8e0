using System.Text;
using MPM.Samples.PaymentProvider;
using Xunit;

namespace MPM.Samples.PaymentProvider.Tests;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"pay-1\"}");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1700000000.{\"id\":\"pay-1\"}', hashlib.sha256).hexdigest())"
    private const string Expected = "sha256=fb2295d43abc588183b94b6de3b52a3d3dd71cafbd5eb750146233605b5fef44";

    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_timestamp_dot_body() =>
        Assert.Equal(Expected, WebhookSignature.Sign("whsec_test", "1700000000", Body));

    [Fact]
    public void A_right_signature_within_five_minutes_is_accepted() =>
        Assert.Null(WebhookSignature.Problem("whsec_test", "1700000000", Expected, Body, At.AddMinutes(4)));

    [Theory]
    [InlineData("1700000000", "sha256=fb2295d43abc588183b94b6de3b52a3d3dd71cafbd5eb750146233605b5fef45", 0, "the signature does not match")]
    [InlineData("1700000001", Expected, 0, "the signature does not match")]
    [InlineData("1700000000", Expected, 6, "the timestamp is not within 5 minutes of now")]
    [InlineData("1700000000", Expected, -6, "the timestamp is not within 5 minutes of now")]
    [InlineData("-1", Expected, 0, "the timestamp is not within 5 minutes of now")]
    [InlineData("99999999999999999999", Expected, 0, "the timestamp is not within 5 minutes of now")]
    [InlineData("", Expected, 0, "the signature headers are missing")]
    [InlineData("1700000000", "", 0, "the signature headers are missing")]
    public void A_wrong_signature_or_an_old_timestamp_is_refused(string timestamp, string signature, int minutesLater, string problem) =>
        Assert.Equal(problem, WebhookSignature.Problem("whsec_test", timestamp, signature, Body, At.AddMinutes(minutesLater)));

    [Fact]
    public void A_different_secret_gives_a_different_signature() =>
        Assert.NotNull(WebhookSignature.Problem("whsec_other", "1700000000", Expected, Body, At));
}
