using System.Text.Json;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>The <c>dependencies</c> of a FHIR package's <c>package.json</c> (name → exact version).</summary>
public static class PackageDependencies
{
    /// <exception cref="JsonException">The manifest is not valid JSON.</exception>
    public static IReadOnlyList<PackageReference> Read(ReadOnlySpan<byte> packageJson)
    {
        var reader = new Utf8JsonReader(packageJson, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("dependencies", out var dependencies) || dependencies.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return dependencies.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String)
            .Select(p => new PackageReference(p.Name, p.Value.GetString()!, null))
            .ToList();
    }
}
