using System.CommandLine;
using System.Diagnostics;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>demo</c>: the whole product on the embedded defaults, one step after another.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Where the demo writes its files", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var command = new Command("demo", "Run the end-to-end demo") { outDir };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.GetValue(outDir)!;
            var cache = new PackageCache();
            Step("Restoring the pinned FHIR packages");
            await new PackageRestorer(cache, m => Console.WriteLine("  " + m)).RestoreAsync(PackageManifest.Default, ct).ConfigureAwait(false);

            Step("Round-tripping every official R4 example through our JSON reader and writer");
            var folder = cache.RequirePackageFolder(PackageManifest.R4Examples);
            var files = Directory.GetFiles(folder, "*.json").Where(f => Path.GetFileName(f) is not ("package.json" or ".index.json")).ToList();
            var normalized = Path.Combine(output, "normalized");
            Directory.CreateDirectory(normalized);
            var watch = Stopwatch.StartNew();
            long bytes = 0;
            var failed = 0;
            foreach (var file in files)
            {
                var content = await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false);
                bytes += content.Length;
                var result = FhirJsonParser.Parse(content);
                if (!result.Success)
                {
                    failed++;
                    continue;
                }

                await File.WriteAllBytesAsync(Path.Combine(normalized, Path.GetFileName(file)), FhirJsonSerializer.SerializeToUtf8Bytes(result.Value!), ct).ConfigureAwait(false);
            }

            Console.WriteLine($"  {files.Count - failed} of {files.Count} resources ({bytes / 1e6:F0} MB) parsed strictly and written to {normalized} in {watch.Elapsed.TotalSeconds:F1} s");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static void Step(string text) => Console.WriteLine($"==> {text}");
}
