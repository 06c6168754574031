using System.Text.Json;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.FhirPath;

/// <summary>The R4 invariants (snapshot.element.constraint.expression of every core StructureDefinition) against the engine.</summary>
public class FhirPathInvariantTests(ITestOutputHelper output)
{
    internal sealed record Invariant(string Type, string Path, string Key, string Expression);

    /// <summary>Every invariant of every R4 core StructureDefinition (resources, datatypes, core profiles and extensions).</summary>
    internal static List<Invariant> LoadInvariants()
    {
        var folder = FhirPackages.CoreFolder;
        var result = new List<Invariant>();
        foreach (var file in Directory.GetFiles(folder, "StructureDefinition-*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            if (!root.TryGetProperty("snapshot", out var snapshot))
            {
                continue;
            }

            foreach (var element in snapshot.GetProperty("element").EnumerateArray())
            {
                if (!element.TryGetProperty("constraint", out var constraints))
                {
                    continue;
                }

                var path = element.GetProperty("path").GetString() ?? "";
                foreach (var c in constraints.EnumerateArray())
                {
                    if (c.TryGetProperty("expression", out var e) && e.GetString() is { } expression)
                    {
                        result.Add(new Invariant(type, path, c.TryGetProperty("key", out var k) ? k.GetString() ?? "" : "", expression));
                    }
                }
            }
        }

        return result;
    }

    [Fact]
    public void Every_R4_invariant_expression_parses()
    {
        var invariants = LoadInvariants();
        var distinct = invariants.Select(i => i.Expression).Distinct(StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        foreach (var expression in distinct)
        {
            try
            {
                FhirPathCompiler.CompileUncached(expression);
            }
            catch (FhirPathSyntaxException e)
            {
                failures.Add($"{e.Message}: {expression}");
            }
        }

        var unknownFunctions = distinct
            .SelectMany(e => System.Text.RegularExpressions.Regex.Matches(e, @"\.?([a-zA-Z]+)\(").Select(m => m.Groups[1].Value))
            .Where(n => !Functions.IsKnown(n) && n is not ("as" or "is"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var summary = $"R4 invariants: {invariants.Count} constraint expressions ({distinct.Count} distinct) in the core StructureDefinitions; {distinct.Count - failures.Count} parse, {failures.Count} fail";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        output.WriteLine("functions used but not implemented: " + (unknownFunctions.Count == 0 ? "none" : string.Join(", ", unknownFunctions)));
        failures.ForEach(output.WriteLine);
        Assert.True(invariants.Count > 1000, summary);
        Assert.Empty(failures);
        Assert.Empty(unknownFunctions);
    }

    [Fact]
    public void R4_invariants_hold_on_the_R4_examples_without_evaluation_errors()
    {
        var byType = LoadInvariants()
            .Where(i => ModelInfo.GetResourceType(i.Type) is not null && i.Path.Split('.')[0] == i.Type)
            .GroupBy(i => i.Type)
            .ToDictionary(g => g.Key, g => g.DistinctBy(i => (i.Path, i.Key)).ToList(), StringComparer.Ordinal);
        int evaluated = 0, falses = 0;
        var errors = new List<string>();
        var falseKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in FhirPackages.ExampleFiles())
        {
            var resource = FhirJsonParser.Parse(File.ReadAllBytes(file)).Value;
            if (resource is null || !byType.TryGetValue(resource.TypeInfo.Name, out var invariants))
            {
                continue;
            }

            var context = new EvaluationContext { Resource = resource, RootResource = resource };
            foreach (var inv in invariants)
            {
                try
                {
                    var path = inv.Path.Replace("[x]", "", StringComparison.Ordinal);
                    foreach (var node in FhirPathCompiler.Compile(path).Evaluate(resource, context))
                    {
                        evaluated++;
                        if (FhirPathCompiler.Compile(inv.Expression).EvaluateBoolean(node, context) == false)
                        {
                            falses++;
                            falseKeys[inv.Type + ":" + inv.Key] = falseKeys.GetValueOrDefault(inv.Type + ":" + inv.Key) + 1;
                        }
                    }
                }
                catch (FhirPathException e)
                {
                    errors.Add($"{Path.GetFileName(file)} {inv.Key} ({inv.Path}): {e.Message}");
                }
            }
        }

        var summary = $"R4 invariants on examples: {evaluated} evaluations, {falses} false, {errors.Count} errors";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var (key, count) in falseKeys.OrderByDescending(k => k.Value).Take(40))
        {
            output.WriteLine($"  false {key}: {count}");
        }

        errors.Take(50).ToList().ForEach(e => output.WriteLine("  error " + e));
        Assert.True(evaluated > 10_000, summary);
        Assert.True(errors.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, errors.Take(20)));
    }
}
