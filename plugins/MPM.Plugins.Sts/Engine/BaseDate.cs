namespace MPM.Plugins.Sts.Engine;

/// <summary>The STS base dates from which token identifiers count minutes. The enum value is the year.</summary>
public enum BaseDate
{
    Year1993 = 1993,
    Year2014 = 2014,
    Year2035 = 2035,
}

public static class BaseDates
{
    /// <summary>Midnight on 1 January of the base year, as a naive (unspecified-kind) time.</summary>
    public static DateTime Start(this BaseDate baseDate) => new((int)baseDate, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The two-digit code used in the DKGA04 key derivation ("93", "14", "35").</summary>
    public static string ShortCode(this BaseDate baseDate) => ((int)baseDate % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
}
