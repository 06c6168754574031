using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Firely.Tests;

/// <summary>Firely's validator behind our seam, on our IG's examples, with the same conformance resources as ours.</summary>
public class FirelyValidationTests(ITestOutputHelper output)
{
    private static readonly Lazy<ICanonicalResolver> Conformance = new(() =>
    {
        _ = FhirPackages.Cache;  // core and terminology packages restored
        var package = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "profiles", "package"), "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("package", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
            .Select(f => FhirJsonParser.Parse(File.ReadAllBytes(f)).Value!);
        return CanonicalResolver.CreateDefault(new PackageCache(), package.ToList());
    });

    private static readonly Lazy<FirelyValidationEngine> Firely = new(() => new FirelyValidationEngine(Conformance.Value));

    private static readonly Lazy<FhirValidator> Ours = new(() => new FhirValidator(Conformance.Value));

    private static IEnumerable<string> Examples(params string[] dir) =>
        Directory.EnumerateFiles(Path.Combine([RepoPaths.Root, "profiles", .. dir]), "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal);

    private List<string> Run(IValidationEngine engine, IEnumerable<string> files, bool expectValid, string name)
    {
        var wrong = new List<string>();
        var n = 0;
        foreach (var file in files)
        {
            n++;
            var result = engine.ValidateJson(File.ReadAllBytes(file));
            foreach (var issue in result.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal))
            {
                output.WriteLine($"{Path.GetFileName(file)}: {issue}");
            }

            if (result.IsValid != expectValid)
            {
                wrong.Add(Path.GetFileName(file));
            }
        }

        var summary = $"{name}: {n - wrong.Count} passed, {wrong.Count} failed";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        return wrong;
    }

    [Fact]
    public void Firely_finds_no_error_in_the_valid_IG_examples()
    {
        Run(Ours.Value, Examples("package", "example"), expectValid: true, "Our engine, valid IG examples");
        var wrong = Run(Firely.Value, Examples("package", "example"), expectValid: true, "Firely engine, valid IG examples");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Firely_finds_an_error_in_each_invalid_IG_example()
    {
        Run(Ours.Value, Examples("examples-invalid"), expectValid: false, "Our engine, invalid IG examples");
        var wrong = Run(Firely.Value, Examples("examples-invalid"), expectValid: false, "Firely engine, invalid IG examples");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Firely_issues_come_in_our_format_with_located_parse_errors_first()
    {
        var bad = """
            {"resourceType":"Patient","gender":"unknown-gender",
             "nickname":"x"}
            """u8;
        var result = Firely.Value.ValidateJson(bad);
        var parse = result.Issues[0];
        Assert.Equal("PARSE_UNKNOWN_ELEMENT", parse.MessageId);
        Assert.Equal(2, parse.Line);
        var gender = Assert.Single(result.Issues, i => i.MessageId.StartsWith("FIRELY_", StringComparison.Ordinal) && i.Expression.Contains("gender", StringComparison.Ordinal));
        Assert.Equal(IssueSeverity.Error, gender.Severity);
        Assert.Equal(1, gender.Line);
        Assert.False(result.IsValid);
    }
}
