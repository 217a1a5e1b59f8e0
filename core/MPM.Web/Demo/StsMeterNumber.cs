using System.Globalization;

namespace MPM.Web.Demo;

/// <summary>
/// An 11-digit STS meter number: manufacturer code (2 digits), serial (8 digits) and a Luhn check digit over those ten.
/// (The STS plugin checks the same rule; the core cannot reference plugin code.)
/// </summary>
public static class StsMeterNumber
{
    public static string Create(string manufacturerCode, long serial)
    {
        if (manufacturerCode.Length != 2 || !manufacturerCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("the manufacturer code must be 2 digits", nameof(manufacturerCode));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(serial, 99_999_999L);
        var payload = manufacturerCode + serial.ToString("D8", CultureInfo.InvariantCulture);
        return payload + LuhnCheckDigit(payload).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The digit that makes the Luhn sum of payload + digit a multiple of 10.</summary>
    public static int LuhnCheckDigit(string payload)
    {
        var sum = 0;
        // Counting from the right, the payload's last digit sits next to the check digit: it is the first doubled.
        for (var i = 0; i < payload.Length; i++)
        {
            var digit = payload[payload.Length - 1 - i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new FormatException($"'{payload}' is not all decimal digits");
            }

            if (i % 2 == 0)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return (10 - sum % 10) % 10;
    }
}
