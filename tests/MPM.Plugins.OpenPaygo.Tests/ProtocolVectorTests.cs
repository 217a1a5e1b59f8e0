using MPM.Plugins.OpenPaygo.Engine;
using Xunit;

namespace MPM.Plugins.OpenPaygo.Tests;

/// <summary>The OpenPAYGO table of PROTOCOLS.md §7 (device 1, count 1).</summary>
public class ProtocolVectorTests
{
    [Theory]
    [InlineData(OpenPaygoTokenType.AddTime, 1, 2, "588224011", "247264959011", "314114432231134", "14323213131442331314")]
    [InlineData(OpenPaygoTokenType.AddTime, 2, 2, "639704012", "088026959012", "323131212344141", "12212443421141413321")]
    [InlineData(OpenPaygoTokenType.AddTime, 5, 2, "177073015", "507849959015", "133314243342424", "24231443142423232324")]
    [InlineData(OpenPaygoTokenType.AddTime, 995, 2, "944829005", "202207960005", "431221144132142", "13441221313132344122")]
    [InlineData(OpenPaygoTokenType.SetTime, 1, 3, "380589011", "660362959011", "223334422144214", "32324111341412313314")]
    [InlineData(OpenPaygoTokenType.SetTime, 995, 3, "586420005", "765385960005", "313442111441322", "34131421314343332122")]
    [InlineData(OpenPaygoTokenType.DisablePayg, null, 3, "190942008", "696672960008", "134231231341431", "33131421441234431131")]
    [InlineData(OpenPaygoTokenType.CounterSync, null, 3, "160440009", "673729960009", "132321112434132", "32414242234422312132")]
    public void EncodesAndDecodesEveryVariant(
        OpenPaygoTokenType type, int? value, int newCount, string standard, string extended, string restricted, string restrictedExtended)
    {
        var expected = new[]
        {
            (Extended: false, Restricted: false, Token: standard),
            (Extended: true, Restricted: false, Token: extended),
            (Extended: false, Restricted: true, Token: restricted),
            (Extended: true, Restricted: true, Token: restrictedExtended),
        };

        foreach (var variant in expected)
        {
            var generated = OpenPaygoEncoder.Generate(
                Device1.Key, Device1.StartingCode, Device1.Count, type, value, variant.Extended, variant.Restricted);
            Assert.Equal((newCount, variant.Token), generated);

            OpenPaygoDecodeResult decoded = OpenPaygoDecoder.Decode(
                variant.Token, Device1.Key, Device1.StartingCode, Device1.Count, [], variant.Restricted);
            Assert.Equal(OpenPaygoDecodeStatus.Valid, decoded.Status);
            Assert.Equal(type, decoded.Type);
            Assert.Equal(value, decoded.Value);
            Assert.Equal(newCount, decoded.Count);
        }
    }
}
