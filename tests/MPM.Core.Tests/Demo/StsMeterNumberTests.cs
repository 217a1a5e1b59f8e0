using MPM.Web.Demo;
using Xunit;

namespace MPM.Core.Tests.Demo;

public sealed class StsMeterNumberTests
{
    [Theory]
    [InlineData("7992739871", 3)] // the textbook Luhn example: 79927398713
    [InlineData("0000000000", 0)]
    [InlineData("4700000001", 9)]
    [InlineData("1", 8)]
    public void Luhn_check_digit_matches_known_values(string payload, int expected) =>
        Assert.Equal(expected, StsMeterNumber.LuhnCheckDigit(payload));

    [Theory]
    [InlineData(0L)]
    [InlineData(12345678L)]
    [InlineData(99999999L)]
    [InlineData(61803399L)]
    public void Meter_numbers_are_code_serial_and_a_valid_luhn_digit(long serial)
    {
        var number = StsMeterNumber.Create("47", serial);

        Assert.Equal(11, number.Length);
        Assert.StartsWith("47", number, StringComparison.Ordinal);
        Assert.Equal(serial, long.Parse(number[2..10], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(LuhnValid(number), $"{number} fails the Luhn check");
    }

    [Fact]
    public void A_changed_digit_breaks_the_check()
    {
        var number = StsMeterNumber.Create("47", 12345678);
        var altered = number[..5] + (char)('0' + (number[5] - '0' + 1) % 10) + number[6..];

        Assert.False(LuhnValid(altered));
    }

    [Theory]
    [InlineData("4", 1L)]
    [InlineData("4a", 1L)]
    [InlineData("47", -1L)]
    [InlineData("47", 100_000_000L)]
    public void Bad_codes_and_serials_are_refused(string code, long serial) =>
        Assert.ThrowsAny<ArgumentException>(() => StsMeterNumber.Create(code, serial));

    /// <summary>The validation form of Luhn: every second digit from the right, starting with the second, doubled; sum % 10 == 0.</summary>
    private static bool LuhnValid(string number)
    {
        var sum = 0;
        for (var i = 0; i < number.Length; i++)
        {
            var digit = number[number.Length - 1 - i] - '0';
            sum += i % 2 == 1 ? (digit * 2) / 10 + (digit * 2) % 10 : digit;
        }

        return sum % 10 == 0;
    }
}
