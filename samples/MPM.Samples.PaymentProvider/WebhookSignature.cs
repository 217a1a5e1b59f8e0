using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MPM.Samples.PaymentProvider;

/// <summary>
/// The signature scheme: header <c>X-Sample-Timestamp</c> carries Unix seconds, header <c>X-Sample-Signature</c> carries
/// <c>sha256=</c> and the lower-case hex HMAC-SHA256, under the shared secret, of <c>{timestamp}.{raw body}</c>.
/// Signing the timestamp with the body lets the receiver refuse old requests replayed by someone who captured them.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Sample-Timestamp";
    public const string SignatureHeader = "X-Sample-Signature";

    /// <summary>How far a request's timestamp may be from the receiver's clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Null when the signature is right and the timestamp recent; otherwise why not.</summary>
    public static string? Problem(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "the signature headers are missing";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return "the timestamp is not within 5 minutes of now";
        }

        // Constant time: how long the comparison takes must not tell an attacker how much of a guess was right.
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var presented = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? null : "the signature does not match";
    }
}
