namespace MPM.Plugins.OpenPaygo.Engine;

public enum OpenPaygoTokenType
{
    AddTime,
    SetTime,
    DisablePayg,
    CounterSync,
}
