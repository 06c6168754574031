using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Firely;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// What a command-line user waits for: a fresh process that parses one resource and validates it against the R4 core
/// definitions (the same conformance sources for both engines, as in <see cref="ValidationBenchmarks"/>), ours and
/// Firely's alternately, each run in its own process; prints the median wall time of each and their ratio. The
/// process start-up itself (runtime, this assembly) is the same for both.
/// <c>dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- cold-start [--runs 5]</c>
/// </summary>
public static class ColdStart
{
    private const string Example = "Patient-example.json";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--run", var which, var file])
        {
            Console.WriteLine(which == "firely" ? Firely(file) : Ours(file));
            return 0;
        }

        var runs = args is ["--runs", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 5;
        var cache = new PackageCache();
        await new PackageRestorer(cache).RestoreAsync(PackageManifest.Default).ConfigureAwait(false);
        var path = Path.Combine(cache.RequirePackageFolder(PackageManifest.R4Examples), Example);
        var times = new Dictionary<string, List<double>> { ["ours"] = [], ["firely"] = [] };
        var outputs = new Dictionary<string, string>();
        for (var i = 0; i < runs; i++)
        {
            foreach (var engine in times.Keys)
            {
                var (ms, output) = await RunChildAsync(engine, path).ConfigureAwait(false);
                times[engine].Add(ms);
                outputs[engine] = output;
            }
        }

        var ours = Median(times["ours"]);
        var firely = Median(times["firely"]);
        Console.WriteLine($"cold start, one fresh process per run: parse {Example} and validate it against R4 core (median of {runs})");
        Console.WriteLine($"  ours   {ours,7:F0} ms   ({outputs["ours"]})");
        Console.WriteLine($"  Firely {firely,7:F0} ms   ({outputs["firely"]})");
        Console.WriteLine($"  Firely / ours = {firely / ours:F2}; machine {Environment.ProcessorCount} cores, load average {RunEnvironment.LoadAverage()}");
        return 0;
    }

    private static string Ours(string file)
    {
        var parsed = FhirJsonParser.Parse(File.ReadAllBytes(file));
        var result = new FhirValidator(CanonicalResolver.CreateDefault()).Validate(parsed.Value!);
        return $"{parsed.Issues.Count} parse issues, {result.ErrorCount} validation errors";
    }

    private static string Firely(string file)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(file));
        FirelyPeers.Strict.TryDeserializeResource(ref reader, out var resource, out var issues);
        var outcome = new FirelyValidationEngine(CanonicalResolver.CreateDefault()).ValidateFirely(resource!);
        var errors = outcome.Issue.Count(i => i.Severity is Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Error or Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Fatal);
        return $"{issues.Count()} parse issues, {errors} validation errors";
    }

    private static async Task<(double Ms, string Output)> RunChildAsync(string engine, string file)
    {
        var self = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            self.ArgumentList.Add(typeof(ColdStart).Assembly.Location);
        }

        foreach (var a in new[] { "cold-start", "--run", engine, file })
        {
            self.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var child = Process.Start(self)!;
        var output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await child.WaitForExitAsync().ConfigureAwait(false);
        var ms = sw.Elapsed.TotalMilliseconds;
        return child.ExitCode == 0 ? (ms, output.Trim()) : throw new InvalidOperationException($"{engine} run exited with {child.ExitCode}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
