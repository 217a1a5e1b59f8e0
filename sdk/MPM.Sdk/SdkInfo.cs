namespace MPM.Sdk;

/// <summary>The SDK's own version. A plugin declares the major it was built for in its plugin.json.</summary>
public static class SdkInfo
{
    public const int Major = 1;
    public const string Version = "1.0.0";
}
