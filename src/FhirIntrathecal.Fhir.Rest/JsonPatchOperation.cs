using System.Text.Json.Nodes;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>One RFC 6902 operation for <see cref="FhirClient.PatchAsync{T}"/>.</summary>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value = null, string? From = null)
{
    public static JsonPatchOperation Add(string path, JsonNode? value) => new("add", path, value);

    public static JsonPatchOperation Replace(string path, JsonNode? value) => new("replace", path, value);

    public static JsonPatchOperation Remove(string path) => new("remove", path);

    public static JsonPatchOperation Test(string path, JsonNode? value) => new("test", path, value);

    internal static JsonArray ToDocument(IEnumerable<JsonPatchOperation> operations)
    {
        var array = new JsonArray();
        foreach (var o in operations)
        {
            var node = new JsonObject { ["op"] = o.Op, ["path"] = o.Path };
            if (o.From is not null)
            {
                node["from"] = o.From;
            }

            if (o.Op is "add" or "replace" or "test")
            {
                // Deep-clone: a JsonNode can have one parent, and callers may reuse their values.
                node["value"] = o.Value?.DeepClone();
            }

            array.Add(node);
        }

        return array;
    }
}
