using System.Text.Json;
using System.Text.Json.Serialization;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>A FHIR package pinned by name, version and npm integrity (<c>sha512-…</c> of its .tgz).</summary>
public sealed record PackageReference(string Name, string Version, string? Integrity)
{
    /// <summary>The cache folder name: <c>name#version</c>.</summary>
    public string CacheKey => $"{Name}#{Version}";

    public override string ToString() => CacheKey;
}

/// <summary>The pinned package list (<c>fhir-packages.json</c>), embedded so the library knows what it was built against.</summary>
public sealed record PackageManifest(IReadOnlyList<PackageReference> Packages)
{
    public static PackageReference R4Examples { get; } = new("hl7.fhir.r4.examples", "4.0.1", null);

    public static PackageReference R4Core { get; } = new("hl7.fhir.r4.core", "4.0.1", null);

    public static PackageReference Terminology { get; } = new("hl7.terminology.r4", "7.0.1", null);

    /// <summary>The manifest the library was built with.</summary>
    public static PackageManifest Default { get; } = LoadEmbedded();

    public static PackageManifest Parse(ReadOnlySpan<byte> json)
    {
        var file = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ManifestFile)
            ?? throw new InvalidDataException("Empty package manifest.");
        return new PackageManifest(file.Packages.Select(p => new PackageReference(p.Name, p.Version, p.Integrity)).ToList());
    }

    private static PackageManifest LoadEmbedded()
    {
        using var stream = typeof(PackageManifest).Assembly.GetManifestResourceStream("fhir-packages.json")
            ?? throw new InvalidOperationException("fhir-packages.json is not embedded.");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Parse(ms.ToArray());
    }

    internal sealed record ManifestFile(List<ManifestEntry> Packages);

    internal sealed record ManifestEntry(string Name, string Version, string? Integrity);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PackageManifest.ManifestFile))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
