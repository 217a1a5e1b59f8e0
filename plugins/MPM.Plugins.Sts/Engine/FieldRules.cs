namespace MPM.Plugins.Sts.Engine;

/// <summary>Range checks shared by the key parameters and the key change fields.</summary>
internal static class FieldRules
{
    public static string SupplyGroupCode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 6 && value.All(char.IsAsciiDigit)
            ? value
            : throw new ArgumentException($"the supply group code must be 6 digits, not '{value}'", nameof(value));
    }

    public static int TariffIndex(int value) => InRange(value, 0, 99, "the tariff index");

    public static int KeyRevision(int value) => InRange(value, 1, 9, "the key revision number");

    public static int KeyType(int value) => InRange(value, 0, 3, "the key type");

    public static T Defined<T>(T value) where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"unknown {typeof(T).Name} {value}");

    private static int InRange(int value, int min, int max, string what) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} is {min} to {max}");
}
