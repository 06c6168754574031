using System.Formats.Tar;
using System.IO.Compression;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// Builds a resolver from <c>--ig</c> arguments: FHIR package folders (with package.json or .index.json), package
/// tarballs (.tgz, extracted to a temporary folder), other folders and single files (conformance resources loaded in memory).
/// </summary>
internal static class ConformanceSources
{
    public static CanonicalResolver Create(IEnumerable<string> igs, IEnumerable<Resource>? extra = null)
    {
        var cache = new PackageCache();
        var folders = new List<string>();
        var resources = new List<Resource>(extra ?? []);
        foreach (var ig in igs)
        {
            if (Directory.Exists(ig))
            {
                var package = Directory.Exists(Path.Combine(ig, "package")) ? Path.Combine(ig, "package") : ig;
                // Only indexed packages are read lazily; others are loaded in memory so we never write an index into the user's folder.
                if (File.Exists(Path.Combine(package, ".index.json")))
                {
                    folders.Add(package);
                }
                else
                {
                    resources.AddRange(Directory.EnumerateFiles(package, "*.json", SearchOption.TopDirectoryOnly)
                        .Where(f => Path.GetFileName(f) is not "package.json" && !Path.GetFileName(f).StartsWith('.'))
                        .Select(Load).OfType<Resource>());
                }
            }
            else if (ig.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || ig.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase))
            {
                folders.Add(Extract(ig));
            }
            else if (File.Exists(ig))
            {
                if (Load(ig) is { } r)
                {
                    resources.Add(r);
                }
            }
            else
            {
                throw new FileNotFoundException($"--ig {ig}: no such file or folder.");
            }
        }

        folders.Add(cache.RequirePackageFolder(PackageManifest.R4Core));
        folders.Add(cache.RequirePackageFolder(PackageManifest.Terminology));
        return new CanonicalResolver(folders, resources);
    }

    /// <summary>Conformance resources (and Bundles of them) from a file; other content is ignored.</summary>
    public static Resource? Load(string file)
    {
        var parsed = FhirJsonParser.Parse(File.ReadAllBytes(file), ParserOptions.Lenient);
        return parsed.Value is StructureDefinition or ValueSet or CodeSystem ? parsed.Value : null;
    }

    private static string Extract(string tgz)
    {
        var target = Path.Combine(Path.GetTempPath(), "fhir-intrathecal-ig-" + Path.GetFileNameWithoutExtension(tgz) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(target);
        using (var file = File.OpenRead(tgz))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        {
            TarFile.ExtractToDirectory(gzip, target, overwriteFiles: true);
        }

        var package = Path.Combine(target, "package");
        if (!File.Exists(Path.Combine(package, ".index.json")))
        {
            PackageIndex.Write(package);
        }

        return package;
    }
}
