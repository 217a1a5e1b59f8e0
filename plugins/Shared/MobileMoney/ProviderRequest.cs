using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace MPM.Plugins.Shared.MobileMoney;

/// <summary>Reading a provider's request body safely: bounded in size, XML without DTDs or entity resolution.</summary>
internal static class ProviderRequest
{
    /// <summary>The largest body accepted: 64 KB. A provider's payment request is well under 2 KB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (declared or actual).</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read > MaxBodyBytes ? null : buffer[..read];
    }

    /// <summary>
    /// Parses XML with DTDs prohibited and no resolver, so that no entity is ever expanded or fetched.
    /// Throws <see cref="XmlException"/> for malformed XML and for any DOCTYPE.
    /// </summary>
    public static XDocument ParseXml(byte[] body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            MaxCharactersInDocument = MaxBodyBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var stream = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(stream, settings);
        return XDocument.Load(reader, LoadOptions.None);
    }

    /// <summary>The trimmed text of the first child element of <paramref name="parent"/> with this local name (any namespace), or null.</summary>
    public static string? Child(XElement? parent, string localName)
    {
        var value = parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The first child element of <paramref name="parent"/> with this local name (any namespace), or null.</summary>
    public static XElement? Element(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>A payer number in international form: "+255…" from "255…" or from 9 national digits.</summary>
    public static string? PayerPhone(string? msisdn, string countryCode = "255")
    {
        if (string.IsNullOrWhiteSpace(msisdn))
        {
            return null;
        }

        var digits = msisdn.Trim().TrimStart('+');
        if (digits.StartsWith('0'))
        {
            digits = digits[1..];
        }

        return digits.StartsWith(countryCode, StringComparison.Ordinal) && digits.Length > 9 ? "+" + digits : "+" + countryCode + digits;
    }

    /// <summary>The body as text with the contents of the named credential elements replaced by "***", for storing as raw data.</summary>
    public static string Redacted(byte[] body, params string[] credentialElements)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        foreach (var name in credentialElements)
        {
            text = System.Text.RegularExpressions.Regex.Replace(
                text, $"(<(?:[A-Za-z_][\\w.-]*:)?{name}(?:\\s[^>]*)?>)[^<]*(</)", "$1***$2", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        return text;
    }

    public static IResult Xml(string body, int status = StatusCodes.Status200OK) =>
        Results.Text(body, "text/xml; charset=utf-8", System.Text.Encoding.UTF8, status);
}

/// <summary>A request the provider's format refuses, with the HTTP status and the reason that is logged and answered.</summary>
internal sealed class BadProviderRequest(int status, string reason) : Exception(reason)
{
    public int Status { get; } = status;
}
