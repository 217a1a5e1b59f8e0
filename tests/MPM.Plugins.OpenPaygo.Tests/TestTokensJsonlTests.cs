using System.Text.Json;
using MPM.Plugins.OpenPaygo.Engine;
using Xunit;

namespace MPM.Plugins.OpenPaygo.Tests;

/// <summary>Every line of OpenPAYGO-python's test/test_tokens.jsonl, copied to the output folder as Data/test_tokens.jsonl.</summary>
public class TestTokensJsonlTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "test_tokens.jsonl"));

    public static TheoryData<int> LineNumbers => new(Enumerable.Range(1, Lines.Length));

    [Fact]
    public void TheFileHasAllEightyVectors()
    {
        Assert.Equal(80, Lines.Length);
    }

    [Theory]
    [MemberData(nameof(LineNumbers))]
    public void EncoderGivesTheToken(int lineNumber)
    {
        Vector v = Vector.Parse(Lines[lineNumber - 1]);

        var generated = OpenPaygoEncoder.Generate(v.Key, v.StartingCode, v.Count, v.Type, v.Value, v.Extended, v.Restricted);

        Assert.Equal((v.NewCount, v.Token), generated);
    }

    [Theory]
    [MemberData(nameof(LineNumbers))]
    public void DecoderGivesBackValueCountAndType(int lineNumber)
    {
        Vector v = Vector.Parse(Lines[lineNumber - 1]);

        OpenPaygoDecodeResult decoded = OpenPaygoDecoder.Decode(v.Token, v.Key, v.StartingCode, v.Count, [], v.Restricted);

        Assert.Equal(OpenPaygoDecodeStatus.Valid, decoded.Status);
        Assert.Equal(v.Type, decoded.Type);
        Assert.Equal(v.Value, decoded.Value);
        Assert.Equal(v.NewCount, decoded.Count);
    }

    private sealed record Vector(
        byte[] Key, uint StartingCode, int Count, OpenPaygoTokenType Type, int? Value, bool Restricted, bool Extended, int NewCount, string Token)
    {
        public static Vector Parse(string line)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement row = document.RootElement;
            JsonElement value = row.GetProperty("value_raw");
            return new Vector(
                Convert.FromHexString(row.GetProperty("key").GetString()!),
                row.GetProperty("starting_code").GetUInt32(),
                row.GetProperty("count").GetInt32(),
                row.GetProperty("token_type").GetString() switch
                {
                    "ADD_TIME" => OpenPaygoTokenType.AddTime,
                    "SET_TIME" => OpenPaygoTokenType.SetTime,
                    "DISABLE_PAYG" => OpenPaygoTokenType.DisablePayg,
                    "COUNTER_SYNC" => OpenPaygoTokenType.CounterSync,
                    string other => throw new InvalidDataException($"Unknown token type {other}"),
                    null => throw new InvalidDataException("Missing token type"),
                },
                value.ValueKind == JsonValueKind.Null ? null : value.GetInt32(),
                row.GetProperty("restricted_digit_set").GetBoolean(),
                row.GetProperty("extended_token").GetBoolean(),
                row.GetProperty("new_count").GetInt32(),
                row.GetProperty("token").GetString()!);
        }
    }
}
