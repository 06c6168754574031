using System.Text.Json;

namespace FhirIntrathecal.Fhir.Tests.Support;

/// <summary>Structural JSON comparison: object key order ignored, numbers compared by their exact text.</summary>
public static class JsonCompare
{
    /// <summary>Null when equal, else the first difference's path and what differs.</summary>
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: {expected.ValueKind} vs {actual.ValueKind}";
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var e = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var a = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                foreach (var (name, value) in e)
                {
                    if (!a.TryGetValue(name, out var other))
                    {
                        return $"{path}.{name}: missing";
                    }

                    if (FirstDifference(value, other, $"{path}.{name}") is { } d)
                    {
                        return d;
                    }
                }

                var extra = a.Keys.Except(e.Keys).FirstOrDefault();
                return extra is null ? null : $"{path}.{extra}: unexpected";
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return $"{path}: {expected.GetArrayLength()} items vs {actual.GetArrayLength()}";
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    if (FirstDifference(expected[i], actual[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: '{expected.GetString()}' vs '{actual.GetString()}'";
            case JsonValueKind.Number:
                return expected.GetRawText() == actual.GetRawText() ? null : $"{path}: {expected.GetRawText()} vs {actual.GetRawText()}";
            default:
                return null;
        }
    }
}
