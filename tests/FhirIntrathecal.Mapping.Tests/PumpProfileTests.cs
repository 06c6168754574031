using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>
/// The pump part of the IG (issue 15), against the embedded package: every pump example validates, and every invalid
/// example is refused for the reason its narrative states in brackets (an invariant key or an element).
/// </summary>
public partial class PumpProfileTests
{
    private static readonly Lazy<FhirValidator> Validator = new(() => IntrathecalIg.CreateValidator());

    private static string Profiles => Path.Combine(TestPaths.Root, "profiles");

    private static IEnumerable<(string File, Resource Resource)> Load(params string[] dir) =>
        Directory.EnumerateFiles(Path.Combine([Profiles, .. dir]), "*.json").Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => (Path.GetFileName(f), FhirJsonParser.Parse(File.ReadAllText(f)).Value!))
            .Where(x => x.Item2.Meta?.Profile.Any(p => p.Value!.Contains("/itp-", StringComparison.Ordinal)) == true || x.Item1.Contains("p101", StringComparison.Ordinal));

    [Fact]
    public void Every_valid_pump_example_validates_without_errors_or_warnings_but_dom_6()
    {
        var examples = Load("package", "example").ToList();
        Assert.Equal(20, examples.Count);
        var problems = examples.SelectMany(e => Validator.Value.Validate(e.Resource).Issues
            .Where(i => i.Severity is not IssueSeverity.Information && !IsNarrativeAdvice(i)).Select(i => $"{e.File}: {i}")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_invalid_pump_example_is_refused_for_its_stated_reason()
    {
        var examples = Load("examples-invalid").ToList();
        Assert.Equal(20, examples.Count);
        var wrong = new List<string>();
        foreach (var (file, resource) in examples)
        {
            // The narrative ends with the broken rule in brackets: an invariant key ("[itp-reservoir]") or an element ("[parent 1..1]").
            var stated = Reason().Match(((DomainResource)resource).Text!.Div!.Value!).Groups[1].Value.Split(' ')[0];
            Assert.False(string.IsNullOrEmpty(stated), $"{file}: the narrative states no [reason]");
            var errors = Validator.Value.Validate(resource).Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList();
            if (!errors.Any(i => $"{i.Message} {i.ElementId} {i.Expression}".Contains(stated, StringComparison.Ordinal)))
            {
                wrong.Add($"{file}: stated [{stated}], errors: {(errors.Count == 0 ? "none" : string.Join(" | ", errors))}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>dom-6 (no narrative) is R4's best-practice warning; the IG's examples and converted resources carry no narrative.</summary>
    internal static bool IsNarrativeAdvice(ValidationIssue issue) => issue.Severity == IssueSeverity.Warning && issue.Message.Contains("dom-6", StringComparison.Ordinal);

    [GeneratedRegex(@"\[([^\]]+)\]</div>$")]
    private static partial Regex Reason();
}
