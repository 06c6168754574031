using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>
/// Restores pinned FHIR packages into the package cache with the ordinary <c>npm</c> client (whatever registry npm is
/// configured for), verifies each tarball's integrity, writes <c>.index.json</c>, and synthesizes
/// <c>hl7.fhir.r4.core#4.0.1</c> from the examples package. Safe to run concurrently (a lock file serializes restores)
/// and cheap when everything is already there.
/// </summary>
public sealed class PackageRestorer(PackageCache cache, Action<string>? log = null)
{
    private static readonly HashSet<string> ConformanceTypes = new(StringComparer.Ordinal)
    {
        "StructureDefinition", "ValueSet", "CodeSystem", "SearchParameter", "OperationDefinition", "ConceptMap",
        "CompartmentDefinition", "CapabilityStatement", "NamingSystem", "StructureMap", "ImplementationGuide",
    };

    private readonly Action<string> _log = log ?? (_ => { });

    /// <summary>Restores every package of the manifest, then the synthesized core package.</summary>
    public async Task RestoreAsync(PackageManifest manifest, CancellationToken ct = default)
    {
        Directory.CreateDirectory(cache.Root);
        using var lockHandle = await AcquireLockAsync(ct).ConfigureAwait(false);
        foreach (var package in manifest.Packages)
        {
            await RestorePackageAsync(package, ct).ConfigureAwait(false);
        }

        if (manifest.Packages.Any(p => p.Name == PackageManifest.R4Examples.Name && p.Version == PackageManifest.R4Examples.Version))
        {
            SynthesizeCore();
        }
    }

    private async Task RestorePackageAsync(PackageReference package, CancellationToken ct)
    {
        var target = Path.Combine(cache.Root, package.CacheKey);
        var marker = Path.Combine(target, ".fhirintrathecal-integrity");
        if (cache.IsInstalled(package) && (package.Integrity is null || (File.Exists(marker) && File.ReadAllText(marker) == package.Integrity)))
        {
            return;
        }

        _log($"restoring {package} with npm");
        var work = Directory.CreateTempSubdirectory("fhir-pkg-");
        try
        {
            var tgz = await NpmPackAsync(package, work.FullName, ct).ConfigureAwait(false);
            var actual = "sha512-" + Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(tgz)));
            if (package.Integrity is not null && actual != package.Integrity)
            {
                throw new InvalidDataException($"Integrity mismatch for {package}: expected {package.Integrity}, got {actual}.");
            }

            var staging = target + ".staging-" + Guid.NewGuid().ToString("N");
            await ExtractAsync(tgz, staging, ct).ConfigureAwait(false);
            PackageIndex.Write(Path.Combine(staging, "package"));
            File.WriteAllText(Path.Combine(staging, ".fhirintrathecal-integrity"), actual);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
            _log($"restored {package} ({Directory.GetFiles(Path.Combine(target, "package")).Length} files)");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Builds hl7.fhir.r4.core#4.0.1 from the conformance resources of hl7.fhir.r4.examples#4.0.1.</summary>
    private void SynthesizeCore()
    {
        var core = PackageManifest.R4Core;
        var source = cache.RequirePackageFolder(PackageManifest.R4Examples);
        var sourceMarker = File.ReadAllText(Path.Combine(source, "..", ".fhirintrathecal-integrity"));
        var target = Path.Combine(cache.Root, core.CacheKey);
        var marker = Path.Combine(target, ".fhirintrathecal-synthesized-from");
        if (cache.IsInstalled(core) && File.Exists(marker) && File.ReadAllText(marker) == sourceMarker)
        {
            return;
        }

        _log($"synthesizing {core} from {PackageManifest.R4Examples}");
        var staging = target + ".staging-" + Guid.NewGuid().ToString("N");
        var folder = Directory.CreateDirectory(Path.Combine(staging, "package")).FullName;
        foreach (var entry in PackageIndex.Read(source).Where(e => ConformanceTypes.Contains(e.ResourceType)))
        {
            File.Copy(Path.Combine(source, entry.Filename), Path.Combine(folder, entry.Filename));
        }

        File.WriteAllText(Path.Combine(folder, "package.json"), CorePackageJson);
        PackageIndex.Write(folder);
        File.WriteAllText(Path.Combine(staging, ".fhirintrathecal-synthesized-from"), sourceMarker);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
    }

    private const string CorePackageJson = """
        {
          "name": "hl7.fhir.r4.core",
          "version": "4.0.1",
          "tools-version": 3,
          "type": "Core",
          "license": "CC0-1.0",
          "canonical": "http://hl7.org/fhir",
          "url": "http://hl7.org/fhir/R4",
          "title": "FHIR Core package",
          "description": "FHIR R4 core definitions, synthesized by FhirIntrathecal from the conformance resources of hl7.fhir.r4.examples#4.0.1",
          "fhirVersions": ["4.0.1"],
          "dependencies": {},
          "author": "HL7 Inc"
        }
        """;

    private static async Task<string> NpmPackAsync(PackageReference package, string destination, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = destination,
        };
        foreach (var arg in new[] { "pack", $"{package.Name}@{package.Version}", "--json", "--silent", "--pack-destination", destination })
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The npm client is needed to restore FHIR packages and was not found on PATH.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm pack {package.Name}@{package.Version} failed ({process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
            }

            using var doc = JsonDocument.Parse(await stdout.ConfigureAwait(false));
            var filename = doc.RootElement[0].GetProperty("filename").GetString()!;
            return Path.Combine(destination, filename);
        }
    }

    private static async Task ExtractAsync(string tgz, string destination, CancellationToken ct)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        await using var file = File.OpenRead(tgz);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
            {
                continue;
            }

            // Never write outside the destination, whatever the archive says.
            var path = Path.GetFullPath(Path.Combine(destination, entry.Name));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Package entry escapes its folder: {entry.Name}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var output = File.Create(path);
            await entry.DataStream.CopyToAsync(output, ct).ConfigureAwait(false);
        }
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken ct)
    {
        var path = Path.Combine(cache.Root, ".fhirintrathecal-restore.lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                if (attempt % 20 == 0)
                {
                    _log("waiting for another restore to finish");
                }

                await Task.Delay(250, ct).ConfigureAwait(false);
            }
        }
    }
}
