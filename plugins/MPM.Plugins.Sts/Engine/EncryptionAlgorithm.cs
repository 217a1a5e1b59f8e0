namespace MPM.Plugins.Sts.Engine;

/// <summary>STS encryption algorithm codes (EA). The enum value is the STS code number.</summary>
public enum EncryptionAlgorithm
{
    /// <summary>EA07, the Standard Transfer Algorithm, with a 64-bit decoder key.</summary>
    Sta = 7,

    /// <summary>EA11, MISTY1 (RFC 2994), with a 128-bit decoder key.</summary>
    Misty1 = 11,
}
