using MPM.Plugins.OpenPaygo.Engine;
using Xunit;

namespace MPM.Plugins.OpenPaygo.Tests;

public class SipHash24Tests
{
    // Key 00..0f and message 00..(length-1), from the SipHash paper's reference vectors;
    // the 15-byte one is the PROTOCOLS.md §7 vector.
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    public void MatchesReferenceVectors(int messageLength, ulong expected)
    {
        byte[] key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        byte[] message = Enumerable.Range(0, messageLength).Select(i => (byte)i).ToArray();

        Assert.Equal(expected, SipHash24.Hash(key, message));
    }

    [Fact]
    public void RefusesAKeyThatIsNot16Bytes()
    {
        Assert.Throws<ArgumentException>(() => SipHash24.Hash(new byte[15], []));
    }
}
