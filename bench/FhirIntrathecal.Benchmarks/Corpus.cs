using FhirIntrathecal.Fhir.Definitions;

namespace FhirIntrathecal.Benchmarks;

/// <summary>The R4 examples package as benchmark input (restored into the FHIR package cache on first use).</summary>
public static class Corpus
{
    private static readonly Lazy<IReadOnlyList<byte[]>> Files = new(() =>
    {
        var cache = new PackageCache();
        new PackageRestorer(cache).RestoreAsync(PackageManifest.Default).GetAwaiter().GetResult();
        var folder = cache.RequirePackageFolder(PackageManifest.R4Examples);
        return Directory.GetFiles(folder, "*.json")
            .Where(f => Path.GetFileName(f) is not ("package.json" or ".index.json"))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();
    });

    /// <summary>All 5,306 JSON resources of hl7.fhir.r4.examples#4.0.1.</summary>
    public static IReadOnlyList<byte[]> R4Examples => Files.Value;
}
