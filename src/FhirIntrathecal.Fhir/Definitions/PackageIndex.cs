using System.Text.Json;
using System.Text.Json.Serialization;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>One resource of a package as listed in its <c>.index.json</c> (the FHIR package index format, version 1).</summary>
public sealed record PackageIndexEntry(
    string Filename,
    string ResourceType,
    string? Id,
    string? Url,
    string? Version,
    string? Kind,
    string? Type,
    string? Derivation);

/// <summary>Reads and writes <c>.index.json</c>; writing it needs one light pass over each file's top-level properties.</summary>
public static class PackageIndex
{
    public static IReadOnlyList<PackageIndexEntry> Read(string packageFolder)
    {
        var bytes = File.ReadAllBytes(Path.Combine(packageFolder, ".index.json"));
        var file = JsonSerializer.Deserialize(bytes, IndexJsonContext.Default.IndexFile)
            ?? throw new InvalidDataException($"Empty .index.json in {packageFolder}");
        return file.Files;
    }

    public static void Write(string packageFolder)
    {
        var entries = new List<PackageIndexEntry>();
        foreach (var path in Directory.EnumerateFiles(packageFolder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name is "package.json" or ".index.json" || name.StartsWith('.'))
            {
                continue;
            }

            if (ScanTopLevel(File.ReadAllBytes(path), name) is { } entry)
            {
                entries.Add(entry);
            }
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new IndexFile(1, entries), IndexJsonContext.Default.IndexFile);
        var tmp = Path.Combine(packageFolder, $".index.json.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(tmp, json);
        File.Move(tmp, Path.Combine(packageFolder, ".index.json"), overwrite: true);
    }

    /// <summary>Reads only the top-level string properties an index needs, skipping nested content.</summary>
    private static PackageIndexEntry? ScanTopLevel(byte[] json, string filename)
    {
        string? resourceType = null, id = null, url = null, version = null, kind = null, type = null, derivation = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var prop = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                var value = reader.GetString();
                switch (prop)
                {
                    case "resourceType": resourceType = value; break;
                    case "id": id = value; break;
                    case "url": url = value; break;
                    case "version": version = value; break;
                    case "kind": kind = value; break;
                    case "type": type = value; break;
                    case "derivation": derivation = value; break;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return resourceType is null ? null : new PackageIndexEntry(filename, resourceType, id, url, version, kind, type, derivation);
    }

    internal sealed record IndexFile([property: JsonPropertyName("index-version")] int IndexVersion, List<PackageIndexEntry> Files);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(PackageIndex.IndexFile))]
internal sealed partial class IndexJsonContext : JsonSerializerContext;
