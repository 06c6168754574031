using FhirIntrathecal.Fhir.Definitions;

namespace FhirIntrathecal.Fhir.Tests.Support;

/// <summary>Restores the pinned FHIR packages once per test run (idempotent and locked across processes).</summary>
public static class FhirPackages
{
    private static readonly Lazy<PackageCache> Restored = new(() =>
    {
        var cache = new PackageCache();
        new PackageRestorer(cache, Console.Error.WriteLine).RestoreAsync(PackageManifest.Default).GetAwaiter().GetResult();
        return cache;
    });

    public static PackageCache Cache => Restored.Value;

    public static string ExamplesFolder => Cache.RequirePackageFolder(PackageManifest.R4Examples);

    public static string CoreFolder => Cache.RequirePackageFolder(PackageManifest.R4Core);

    /// <summary>Every resource file of the R4 examples package (5,306).</summary>
    public static IReadOnlyList<string> ExampleFiles() =>
        Directory.GetFiles(ExamplesFolder, "*.json").Where(f => Path.GetFileName(f) is not ("package.json" or ".index.json")).Order(StringComparer.Ordinal).ToList();
}
