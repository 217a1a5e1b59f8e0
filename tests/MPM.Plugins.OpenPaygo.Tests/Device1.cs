namespace MPM.Plugins.OpenPaygo.Tests;

/// <summary>Device 1 of PROTOCOLS.md §7 and of OpenPAYGO-python's test_tokens.jsonl.</summary>
internal static class Device1
{
    public const string KeyHex = "bc41ec9530f6dac86b1a29ab82edc5fb";
    public const uint StartingCode = 516959010;
    public const int Count = 1;

    public static byte[] Key => Convert.FromHexString(KeyHex);
}
