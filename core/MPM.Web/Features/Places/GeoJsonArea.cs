using System.Text.Json;

namespace MPM.Web.Features.Places;

/// <summary>
/// A cluster's area: a GeoJSON Polygon geometry, {"type":"Polygon","coordinates":[[[longitude, latitude], …]]}.
/// Each ring has at least 4 positions and is closed (its last position repeats its first).
/// </summary>
public static class GeoJsonArea
{
    public const string Example = """{"type":"Polygon","coordinates":[[[36.68,-3.37],[36.72,-3.37],[36.72,-3.40],[36.68,-3.37]]]}""";

    /// <summary>The polygon in compact form, or a problem an operator can act on.</summary>
    public static (string? Polygon, string? Problem) Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return (null, $"area is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Polygon")
            {
                return (null, $"area must be a GeoJSON Polygon, e.g. {Example}");
            }

            if (!root.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array || coordinates.GetArrayLength() == 0)
            {
                return (null, "area needs \"coordinates\": a list of rings, each a list of [longitude, latitude] positions");
            }

            var rings = new List<List<decimal[]>>();
            foreach (var (ringElement, r) in coordinates.EnumerateArray().Select((e, i) => (e, i + 1)))
            {
                if (ringElement.ValueKind != JsonValueKind.Array || ringElement.GetArrayLength() < 4)
                {
                    return (null, $"area ring {r} needs at least 4 positions (the first one repeated at the end)");
                }

                var ring = new List<decimal[]>();
                foreach (var (positionElement, p) in ringElement.EnumerateArray().Select((e, i) => (e, i + 1)))
                {
                    if (PositionProblem(positionElement) is { } problem)
                    {
                        return (null, $"area ring {r}, position {p}: {problem}");
                    }

                    ring.Add([positionElement[0].GetDecimal(), positionElement[1].GetDecimal()]);
                }

                if (ring[0][0] != ring[^1][0] || ring[0][1] != ring[^1][1])
                {
                    return (null, $"area ring {r} is not closed: its last position must repeat its first");
                }

                rings.Add(ring);
            }

            return (JsonSerializer.Serialize(new { type = "Polygon", coordinates = rings }), null);
        }
    }

    private static string? PositionProblem(JsonElement position)
    {
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() is < 2 or > 3 || position.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number || !n.TryGetDecimal(out _)))
        {
            return "must be [longitude, latitude]";
        }

        var longitude = position[0].GetDecimal();
        var latitude = position[1].GetDecimal();
        return longitude is < -180 or > 180 ? "longitude must be between -180 and 180"
            : latitude is < -90 or > 90 ? "latitude must be between -90 and 90 (GeoJSON puts longitude first)"
            : null;
    }
}
