using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>IG examples against our profiles with the merged validator: valid ones have no errors, invalid ones have at least one.</summary>
public class ProfileValidationTests(ITestOutputHelper output)
{
    private static readonly Lazy<FhirValidator> Validator = new(() =>
    {
        var package = Directory.EnumerateFiles(Path.Combine(TestPaths.Root, "profiles", "package"), "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("package", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith('.'))
            .Select(f => FhirJsonParser.Parse(File.ReadAllText(f)).Value!);
        return new FhirValidator(CanonicalResolver.CreateDefault(new PackageCache(), package.ToList()));
    });

    private static IEnumerable<(string File, Resource Resource)> Examples(params string[] dir) =>
        Directory.EnumerateFiles(Path.Combine([TestPaths.Root, "profiles", .. dir]), "*.json").Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => (Path.GetFileName(f), FhirJsonParser.Parse(File.ReadAllText(f)).Value!));

    [Fact]
    public void Valid_examples_have_no_errors()
    {
        var failures = new List<string>();
        foreach (var (file, resource) in Examples("package", "example"))
        {
            var result = Validator.Value.Validate(resource);
            foreach (var issue in result.Issues)
            {
                output.WriteLine($"{file}: {issue}");
            }

            if (!result.IsValid)
            {
                failures.Add(file);
            }
        }

        output.WriteLine($"{failures.Count} valid example(s) with errors: {string.Join(", ", failures)}");
        Assert.Empty(failures);
    }

    [Fact]
    public void Invalid_examples_each_have_an_error()
    {
        var missed = new List<string>();
        foreach (var (file, resource) in Examples("examples-invalid"))
        {
            var result = Validator.Value.Validate(resource);
            output.WriteLine($"{file}: {string.Join(" | ", result.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal))}");
            if (result.IsValid)
            {
                missed.Add(file);
            }
        }

        Assert.Empty(missed);
    }
}
