using System.Globalization;
using System.Text.Json;
using MPM.Sdk.Registration;

namespace MPM.Plugins.RegistrationApp;

/// <summary>One customer as the app uploads it (<c>POST api/customer-registration-app</c>), read into a registration.</summary>
/// <param name="LocalId">The app's own row id, answered back as <c>data.id</c>.</param>
/// <param name="Errors">By the app's field name.</param>
public sealed record AppUpload(long? LocalId, FieldRegistration Registration, IReadOnlyDictionary<string, string> Errors)
{
    public static AppUpload Parse(JsonElement body)
    {
        var errors = new Dictionary<string, string>();
        var connectionType = Id(body, "connection_type_id", errors);
        var subType = Id(body, "sub_connection_type_id", errors);
        // Sub-types mirror the platform's connection types one to one (see AppLists).
        if (subType is not null && connectionType is not null && subType != connectionType && !errors.ContainsKey("sub_connection_type_id"))
        {
            errors["sub_connection_type_id"] = $"sub-connection type {subType} does not belong to connection type {connectionType}";
        }

        var (latitude, longitude) = GeoPoints(body, errors);
        var registration = new FieldRegistration(
            Text(body, "name", errors), Text(body, "surname", errors), Text(body, "phone", errors), Text(body, "serial_number", errors),
            Id(body, "manufacturer", errors), Id(body, "meter_type", errors), Id(body, "tariff_id", errors), Id(body, "city_id", errors),
            connectionType ?? subType, Id(body, "connection_group_id", errors), latitude, longitude);
        return new AppUpload(Id(body, "id", errors), registration, errors);
    }

    private static string? Text(JsonElement body, string field, Dictionary<string, string> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors[field] = $"{field} must be text";
        return null;
    }

    /// <summary>An id the app sends as a number (a numeric string is taken too).</summary>
    private static long? Id(JsonElement body, string field, Dictionary<string, string> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0)
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0)
        {
            return number;
        }

        errors[field] = $"{field} must be a positive whole number";
        return null;
    }

    /// <summary><c>"lat,lon"</c> in decimal degrees; absent or empty means no location.</summary>
    private static (decimal? Latitude, decimal? Longitude) GeoPoints(JsonElement body, Dictionary<string, string> errors)
    {
        var text = Text(body, "geo_points", errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && decimal.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
            && decimal.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude)
            && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180)
        {
            // Stored with 6 decimals (about 10 cm), as every location on the platform.
            return (decimal.Round(latitude, 6), decimal.Round(longitude, 6));
        }

        errors["geo_points"] = "geo_points must be \"latitude,longitude\" in decimal degrees, e.g. \"-2.0512,33.0125\"";
        return (null, null);
    }
}
