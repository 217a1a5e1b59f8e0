namespace MPM.Plugins.Sts.Engine;

/// <summary>Class 0 (credit transfer) subclasses supported here.</summary>
public enum CreditSubclass
{
    Electricity = 0,
    Water = 1,
    Gas = 2,
}

/// <summary>Class 1 (meter test / display, not encrypted) subclasses.</summary>
public enum TestSubclass
{
    /// <summary>36-bit control field and 8-bit manufacturer code.</summary>
    InitiateMeterTest1 = 0,

    /// <summary>28-bit control field and 16-bit manufacturer code.</summary>
    InitiateMeterTest2 = 1,
}

/// <summary>Class 2 (management) subclasses supported here, excluding the key change sections.</summary>
public enum ManagementSubclass
{
    /// <summary>Value: the limit in watts, amount-encoded like a credit (so it may round up).</summary>
    SetMaximumPowerLimit = 0,

    /// <summary>Value: the register to clear, 16 bits (0xFFFF = all registers).</summary>
    ClearCredit = 1,

    /// <summary>Value: a 16-bit pad that must be 0.</summary>
    ClearTamperCondition = 5,

    /// <summary>Value: the limit in watts, amount-encoded like a credit (so it may round up).</summary>
    SetMaximumPhasePowerUnbalanceLimit = 6,
}

/// <summary>Class 2 subclasses of the key change token sections.</summary>
public static class KeyChangeSubclass
{
    public const int FirstSection = 3;
    public const int SecondSection = 4;
    public const int ThirdSection = 8;
    public const int FourthSection = 9;
}
