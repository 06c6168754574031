using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Firely;
using Hl7.Fhir.FhirPath;
using F = Hl7.Fhir.Model;
using FirelyCompiler = Hl7.FhirPath.FhirPathCompiler;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// FHIRPath: compile time per invariant expression, and the time to check every R4 invariant of a typical resource
/// (each constrained element path is evaluated, then its invariants on each node, as a validator does). Firely's
/// FHIRPath engine (<c>Hl7.Fhir.R4</c>, on its POCO of the same resource) runs the same expressions in the same run;
/// only expressions both engines compile and evaluate are used, and the Ratio column is against ours.
/// </summary>
[MemoryDiagnoser]
[BenchmarkDotNet.Attributes.GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[BenchJob(warmupCount: 2, iterationCount: 6)]
public class FhirPathBenchmarks
{
    private string[] _expressions = [];
    private Resource _resource = null!;
    private (CompiledExpression Path, CompiledExpression[] Invariants)[] _checks = [];
    private EvaluationContext _context = null!;
    private F.Resource _firely = null!;
    private (string Path, string[] Invariants)[] _firelyChecks = [];

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

        var firelyCompiler = new FirelyCompiler();
        _expressions = all.Select(a => a.Expression).Distinct(StringComparer.Ordinal).Where(e => Compiles(firelyCompiler, e)).ToArray();
        var file2 = Resource switch
        {
            "Patient" => "Patient-example.json",
            "Observation" => "Observation-example.json",
            "MedicationAdministration" => "MedicationAdministration-medadminexample03.json",
            _ => "Bundle-bundle-example.json",
        };
        _resource = FhirJsonParser.Parse(File.ReadAllBytes(Path.Combine(examples, file2))).Value!;
        _context = new EvaluationContext { Resource = _resource, RootResource = _resource };
        _firely = _resource.ToFirely();
        _firelyChecks = all.Where(a => a.Type == Resource && a.Path.Split('.')[0] == Resource)
            .DistinctBy(a => (a.Path, a.Expression))
            .GroupBy(a => a.Path.Replace("[x]", "", StringComparison.Ordinal))
            .Select(g => (g.Key, g.Select(a => a.Expression).Where(e => FirelyEvaluates(g.Key, e)).ToArray()))
            .ToArray();
        _checks = _firelyChecks.Select(c => (FhirPathCompiler.Compile(c.Path), c.Invariants.Select(FhirPathCompiler.Compile).ToArray())).ToArray();
    }

    private static bool Compiles(FirelyCompiler compiler, string expression)
    {
        try
        {
            compiler.Compile(expression);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;  // an expression Firely's compiler does not take is left out of both sides
        }
    }

    private bool FirelyEvaluates(string path, string invariant)
    {
        try
        {
            foreach (var node in _firely.Select(path, new FhirEvaluationContext()))
            {
                node!.Predicate(invariant, new FhirEvaluationContext());
            }

            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Parsing all ~200 distinct R4 invariant expressions, bypassing the cache; reported per expression.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 203), BenchmarkCategory("FHIRPath compile")]
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
    /// <summary>Firely's compiler on the same expressions (its compiler caches nothing itself).</summary>
    [Benchmark(OperationsPerInvoke = 203), BenchmarkCategory("FHIRPath compile")]
    public int FirelyCompileInvariant()
    {
        var compiler = new FirelyCompiler();
        var n = 0;
        foreach (var e in _expressions)
        {
            n += compiler.Compile(e) is null ? 0 : 1;
        }

        return n;
    }

    /// <summary>Firely evaluating the same paths and invariants on its POCO (expressions compiled once, by its cache).</summary>
    [Benchmark, BenchmarkCategory("FHIRPath evaluate")]
    public int FirelyEvaluateInvariants()
    {
        var failed = 0;
        var context = new FhirEvaluationContext();
        foreach (var (path, invariants) in _firelyChecks)
        {
            foreach (var node in _firely.Select(path, context))
            {
                foreach (var inv in invariants)
                {
                    if (!node!.Predicate(inv, context))
                    {
                        failed++;
                    }
                }
            }
        }

        return failed;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("FHIRPath evaluate")]
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
