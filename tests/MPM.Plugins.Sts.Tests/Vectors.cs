using System.Globalization;
using MPM.Plugins.Sts.Engine;

namespace MPM.Plugins.Sts.Tests;

/// <summary>The common inputs of the STS Association compliance vectors (PROTOCOLS.md §7 conventions).</summary>
internal static class Vectors
{
    public const string PanA = "600727000000000009";
    public const string PanB = "000001000000000082";
    public const string Vk64Hex = "ABABABABABABABAB";
    public const string Vk160Hex = "ABABABABABABABAB949494949494949401234567";
    public const int Rnd = 5;

    public static readonly byte[] Vk64 = Convert.FromHexString(Vk64Hex);
    public static readonly byte[] Vk160 = Convert.FromHexString(Vk160Hex);

    /// <summary>DKGA02 + STA key; defaults are those of the 531-1-0-02 suite (SGC 123456, TI 01, KRN 1, KT 2).</summary>
    public static DecoderKey Dkga02(string pan = PanA, string sgc = "123456", int ti = 1, int krn = 1, int kt = 2, string vk = Vk64Hex) =>
        DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga02, Convert.FromHexString(vk),
            new DecoderKeyParameters(MeterPan.Parse(pan), sgc, ti, krn, kt, BaseDate.Year1993, EncryptionAlgorithm.Sta));

    /// <summary>DKGA04 key; defaults are those of the 531-1-0-04 suite (VK160, SGC 123457, TI 01, KRN 1, KT 2, base 1993).</summary>
    public static DecoderKey Dkga04(EncryptionAlgorithm ea, string pan = PanA, BaseDate baseDate = BaseDate.Year1993,
        string sgc = "123457", int ti = 1, int krn = 1, int kt = 2) =>
        DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, Vk160, Parameters(ea, pan, baseDate, sgc, ti, krn, kt));

    public static DecoderKeyParameters Parameters(EncryptionAlgorithm ea, string pan = PanA, BaseDate baseDate = BaseDate.Year1993,
        string sgc = "123457", int ti = 1, int krn = 1, int kt = 2) =>
        new(MeterPan.Parse(pan), sgc, ti, krn, kt, baseDate, ea);

    public static DateTime Time(string text) =>
        DateTime.ParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static decimal Amount(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
