namespace MPM.Plugins.OpenPaygo.Engine;

public static class StartingCode
{
    /// <summary>The 9-digit starting code a device uses when none was set at manufacture.</summary>
    public static uint FromKey(byte[] key16)
    {
        TokenFormat.CheckKey(key16);
        return (uint)TokenFormat.HashToStandardCode(SipHash24.Hash(key16, key16));
    }
}
