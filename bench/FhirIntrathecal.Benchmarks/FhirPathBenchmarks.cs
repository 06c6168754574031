using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// FHIRPath: compile time per invariant expression, and the time to check every R4 invariant of a typical resource
/// (each constrained element path is evaluated, then its invariants on each node, as a validator does).
/// </summary>
[MemoryDiagnoser]
public class FhirPathBenchmarks
{
    private string[] _expressions = [];
    private Resource _resource = null!;
    private (CompiledExpression Path, CompiledExpression[] Invariants)[] _checks = [];
    private EvaluationContext _context = null!;

    [Params("Patient", "Observation", "MedicationAdministration", "Bundle")]
    public string Resource { get; set; } = "Patient";

    [GlobalSetup]
    public void Setup()
    {
        var cache = new PackageCache();
        new PackageRestorer(cache).RestoreAsync(PackageManifest.Default).GetAwaiter().GetResult();
        var core = cache.RequirePackageFolder(PackageManifest.R4Core);
        var examples = cache.RequirePackageFolder(PackageManifest.R4Examples);

        var all = new List<(string Type, string Path, string Expression)>();
        foreach (var file in Directory.GetFiles(core, "StructureDefinition-*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            if (!doc.RootElement.TryGetProperty("snapshot", out var snapshot))
            {
                continue;
            }

            var type = doc.RootElement.GetProperty("type").GetString()!;
            foreach (var element in snapshot.GetProperty("element").EnumerateArray())
            {
                if (element.TryGetProperty("constraint", out var constraints))
                {
                    foreach (var c in constraints.EnumerateArray())
                    {
                        if (c.TryGetProperty("expression", out var e))
                        {
                            all.Add((type, element.GetProperty("path").GetString()!, e.GetString()!));
                        }
                    }
                }
            }
        }

        _expressions = all.Select(a => a.Expression).Distinct(StringComparer.Ordinal).ToArray();
        var file2 = Resource switch
        {
            "Patient" => "Patient-example.json",
            "Observation" => "Observation-example.json",
            "MedicationAdministration" => "MedicationAdministration-medadminexample03.json",
            _ => "Bundle-bundle-example.json",
        };
        _resource = FhirJsonParser.Parse(File.ReadAllBytes(Path.Combine(examples, file2))).Value!;
        _context = new EvaluationContext { Resource = _resource, RootResource = _resource };
        _checks = all.Where(a => a.Type == Resource && a.Path.Split('.')[0] == Resource)
            .DistinctBy(a => (a.Path, a.Expression))
            .GroupBy(a => a.Path.Replace("[x]", "", StringComparison.Ordinal))
            .Select(g => (FhirPathCompiler.Compile(g.Key), g.Select(a => FhirPathCompiler.Compile(a.Expression)).ToArray()))
            .ToArray();
    }

    /// <summary>Parsing all ~200 distinct R4 invariant expressions, bypassing the cache; reported per expression.</summary>
    [Benchmark(OperationsPerInvoke = 203)]
    public int CompileInvariant()
    {
        var n = 0;
        foreach (var e in _expressions)
        {
            n += FhirPathCompiler.CompileUncached(e).Text.Length;
        }

        return n;
    }

    /// <summary>Checking every invariant of the resource type on the example resource.</summary>
    [Benchmark]
    public int EvaluateInvariants()
    {
        var failed = 0;
        foreach (var (path, invariants) in _checks)
        {
            foreach (var node in path.Evaluate(_resource, _context))
            {
                foreach (var inv in invariants)
                {
                    if (inv.EvaluateBoolean(node, _context) == false)
                    {
                        failed++;
                    }
                }
            }
        }

        return failed;
    }
}
