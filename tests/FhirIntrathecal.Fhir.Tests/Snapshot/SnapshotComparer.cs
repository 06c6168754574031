using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.Snapshot;

/// <summary>
/// Compares a generated snapshot with a published one on what validation depends on: element ids and paths, min/max,
/// types with profiles, fixed/pattern, binding strength and ValueSet, constraint keys, slicing. Narrative text
/// (short, definition, comments), mappings and examples are not compared.
/// </summary>
public static class SnapshotComparer
{
    public static List<string> Compare(IReadOnlyList<ElementDefinition> published, IReadOnlyList<ElementDefinition> generated)
    {
        var diffs = new List<string>();
        var ours = new Dictionary<string, ElementDefinition>(StringComparer.Ordinal);
        foreach (var e in generated)
        {
            ours.TryAdd(e.Id ?? e.Path?.Value ?? "", e);
        }

        var theirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in published)
        {
            var id = p.Id ?? p.Path?.Value ?? "";
            theirs.Add(id);
            if (!ours.TryGetValue(id, out var g))
            {
                diffs.Add($"missing:{id}");
                continue;
            }

            Check(diffs, id, "path", p.Path?.Value, g.Path?.Value);
            Check(diffs, id, "min", p.Min?.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Min?.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Check(diffs, id, "max", p.Max?.Value, g.Max?.Value);
            Check(diffs, id, "type", Types(p), Types(g));
            Check(diffs, id, "fixed", Value(p.Fixed), Value(g.Fixed));
            Check(diffs, id, "pattern", Value(p.Pattern), Value(g.Pattern));
            Check(diffs, id, "binding", p.Binding is null ? null : $"{p.Binding.Strength?.Value} {p.Binding.ValueSet?.Value}", g.Binding is null ? null : $"{g.Binding.Strength?.Value} {g.Binding.ValueSet?.Value}");
            Check(diffs, id, "constraints", Keys(p), Keys(g));
            Check(diffs, id, "slicing", Slicing(p), Slicing(g));
        }

        diffs.AddRange(ours.Keys.Where(k => !theirs.Contains(k)).Select(k => $"extra:{k}"));
        return diffs;
    }

    private static void Check(List<string> diffs, string id, string what, string? a, string? b)
    {
        if (!string.Equals(a, b, StringComparison.Ordinal))
        {
            diffs.Add($"{what}:{id}: published '{a}' generated '{b}'");
        }
    }

    private static string Types(ElementDefinition e) => string.Join("|", e.Type.Select(t =>
        t.Code?.Value + "(" + string.Join(",", t.Profile.Select(p => p.Value)) + ";" + string.Join(",", t.TargetProfile.Select(p => p.Value)) + ")"));

    private static string? Value(DataType? v) => v is null ? null : FhirIntrathecal.Fhir.Serialization.Json.FhirJsonSerializer.SerializeToString(v);

    private static string Keys(ElementDefinition e) => string.Join(",", e.Constraint.Select(c => c.Key?.Value).Order(StringComparer.Ordinal));

    private static string? Slicing(ElementDefinition e) => e.Slicing is not { } s ? null
        : string.Join(",", s.Discriminator.Select(d => d.Type?.Value + ":" + d.Path?.Value)) + $" {s.Rules?.Value} {s.Ordered?.Value}";
}
