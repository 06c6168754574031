using System.CommandLine;
using FhirIntrathecal.Fhir.Definitions;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>packages restore</c>: fetch the pinned FHIR packages into the package cache.</summary>
internal static class PackagesCommand
{
    public static Command Create()
    {
        var cacheOption = new Option<string?>("--cache") { Description = $"FHIR package cache folder (default: ${PackageCache.EnvironmentVariable} or ~/.fhir/packages)" };
        var restore = new Command("restore", "Restore the pinned FHIR packages (npm) and synthesize hl7.fhir.r4.core#4.0.1") { cacheOption };
        restore.SetAction(async (parse, ct) =>
        {
            var cache = new PackageCache(parse.GetValue(cacheOption));
            var restorer = new PackageRestorer(cache, message => Console.Error.WriteLine(message));
            await restorer.RestoreAsync(PackageManifest.Default, ct).ConfigureAwait(false);
            foreach (var p in PackageManifest.Default.Packages.Append(PackageManifest.R4Core))
            {
                Console.WriteLine($"{p.CacheKey}\t{cache.PackageFolder(p)}");
            }

            return ExitCodes.Ok;
        });
        return new Command("packages", "Manage the FHIR packages FhirIntrathecal depends on") { restore };
    }
}
