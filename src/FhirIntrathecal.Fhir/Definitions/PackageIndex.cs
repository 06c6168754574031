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
    /// <summary>
    /// Reads the index with one forward pass of <see cref="Utf8JsonReader"/> (a validator built cold reads two indexes of
    /// thousands of entries before its first resource; the serializer's constructor-parameter path was most of that).
    /// </summary>
    public static IReadOnlyList<PackageIndexEntry> Read(string packageFolder)
    {
        var path = Path.Combine(packageFolder, ".index.json");
        var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException($"{path}: not a JSON object.");
        }

        var files = new List<PackageIndexEntry>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isFiles = reader.ValueTextEquals("files"u8);
            reader.Read();
            if (!isFiles || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                files.Add(ReadEntry(ref reader, path));
            }
        }

        return files;
    }

    private static PackageIndexEntry ReadEntry(ref Utf8JsonReader reader, string path)
    {
        string? filename = null, resourceType = null, id = null, url = null, version = null, kind = null, type = null, derivation = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var field = ref filename;
            if (reader.ValueTextEquals("filename"u8)) field = ref filename;
            else if (reader.ValueTextEquals("resourceType"u8)) field = ref resourceType;
            else if (reader.ValueTextEquals("id"u8)) field = ref id;
            else if (reader.ValueTextEquals("url"u8)) field = ref url;
            else if (reader.ValueTextEquals("version"u8)) field = ref version;
            else if (reader.ValueTextEquals("kind"u8)) field = ref kind;
            else if (reader.ValueTextEquals("type"u8)) field = ref type;
            else if (reader.ValueTextEquals("derivation"u8)) field = ref derivation;
            else
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                field = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return filename is null || resourceType is null
            ? throw new InvalidDataException($"{path}: an entry without filename or resourceType (at byte {reader.TokenStartIndex}).")
            : new PackageIndexEntry(filename, resourceType, id, url, version, kind, type, derivation);
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
