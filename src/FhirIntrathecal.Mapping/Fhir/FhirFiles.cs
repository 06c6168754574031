using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>
/// The output folder of <c>convert</c>: <c>bundles/{patient}.json</c> (transaction Bundles) and
/// <c>ndjson/{Type}.ndjson</c> (one resource a line, <c>Type/id</c> references), and reading either back.
/// </summary>
public static class FhirFiles
{
    public const string BundlesFolder = "bundles";
    public const string NdjsonFolder = "ndjson";

    public static void WriteBundles(IEnumerable<(string Name, Bundle Bundle)> bundles, string folder)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        var dir = Path.Combine(folder, BundlesFolder);
        Directory.CreateDirectory(dir);
        foreach (var (name, bundle) in bundles)
        {
            using var stream = File.Create(Path.Combine(dir, $"{name}.json"));
            FhirJsonSerializer.Serialize(bundle, stream, JsonWriteOptions.Pretty);
        }
    }

    public static void WriteNdjson(IEnumerable<Resource> resources, string folder)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var dir = Path.Combine(folder, NdjsonFolder);
        Directory.CreateDirectory(dir);
        var writers = new Dictionary<string, Stream>(StringComparer.Ordinal);
        try
        {
            foreach (var r in resources)
            {
                var type = r.TypeInfo.Name;
                if (!writers.TryGetValue(type, out var s))
                {
                    writers[type] = s = File.Create(Path.Combine(dir, $"{type}.ndjson"));
                }

                FhirJsonSerializer.Serialize(r, s, JsonWriteOptions.Compact);
                s.WriteByte((byte)'\n');
            }
        }
        finally
        {
            foreach (var s in writers.Values)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>Reads <c>ndjson/*.ndjson</c> when present, else every Bundle in <c>bundles/</c> (or the folder itself).</summary>
    public static IEnumerable<(Resource Resource, string? FullUrl)> Read(string folder)
    {
        var ndjson = Path.Combine(folder, NdjsonFolder);
        if (Directory.Exists(ndjson))
        {
            foreach (var file in Directory.EnumerateFiles(ndjson, "*.ndjson").Order(StringComparer.Ordinal))
            {
                var line = 0;
                foreach (var text in File.ReadLines(file))
                {
                    line++;
                    if (text.Length > 0)
                    {
                        yield return (Parse(text, $"{file}:{line}"), null);
                    }
                }
            }

            yield break;
        }

        var bundles = Directory.Exists(Path.Combine(folder, BundlesFolder)) ? Path.Combine(folder, BundlesFolder) : folder;
        foreach (var file in Directory.EnumerateFiles(bundles, "*.json").Order(StringComparer.Ordinal))
        {
            if (Parse(File.ReadAllText(file, Encoding.UTF8), file) is Bundle b)
            {
                foreach (var e in b.Entry)
                {
                    if (e.Resource is { } r)
                    {
                        yield return (r, e.FullUrl?.Value);
                    }
                }
            }
        }
    }

    private static Resource Parse(string json, string where)
    {
        var result = FhirJsonParser.Parse(json);
        return result.Value ?? throw new InvalidDataException($"{where}: not a FHIR resource ({string.Join("; ", result.Issues)})");
    }
}
