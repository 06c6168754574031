using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;
using Xunit.Abstractions;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>Every official R4 example instance validates against its base definition without errors.</summary>
public sealed class R4ExamplesValidationTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> ConformanceTypes = new(StringComparer.Ordinal)
    {
        "StructureDefinition", "ValueSet", "CodeSystem", "SearchParameter", "OperationDefinition", "CapabilityStatement",
        "CompartmentDefinition", "ConceptMap", "NamingSystem", "ImplementationGuide", "StructureMap", "GraphDefinition",
        "MessageDefinition", "TerminologyCapabilities",
    };

    /// <summary>The example instances: files of the examples package that the core package does not have, minus conformance resources.</summary>
    public static IReadOnlyList<string> ExampleInstances()
    {
        var core = new HashSet<string>(Directory.GetFiles(FhirPackages.CoreFolder, "*.json").Select(Path.GetFileName)!, StringComparer.Ordinal);
        return FhirPackages.ExampleFiles()
            .Where(f => !core.Contains(Path.GetFileName(f)))
            .Where(f => !ConformanceTypes.Contains(Path.GetFileName(f).Split('-')[0]))
            .ToList();
    }

    [Fact]
    public void All_R4_example_instances_validate_without_errors()
    {
        var validator = SharedValidator.Instance;
        var files = ExampleInstances();
        var failures = new ConcurrentBag<(string File, IReadOnlyList<ValidationIssue> Errors)>();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, file =>
        {
            var result = validator.ValidateJson(File.ReadAllBytes(file));
            if (!result.IsValid)
            {
                failures.Add((Path.GetFileName(file), result.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList()));
            }
        });

        output.WriteLine($"R4 examples validation: {files.Count - failures.Count} valid, {failures.Count} with errors");
        foreach (var (file, errors) in failures.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            foreach (var e in errors.Take(5))
            {
                output.WriteLine($"  {file}: {e}");
            }
        }

        Assert.Empty(failures.Select(f => f.File).Except(KnownInvalidExamples.Files.Keys));
    }
}

/// <summary>One validator over the core packages for the whole test run (compiling profiles is the expensive part).</summary>
public static class SharedValidator
{
    private static readonly Lazy<FhirValidator> Lazy = new(() => new FhirValidator(CanonicalResolver.CreateDefault(FhirPackages.Cache)));

    public static FhirValidator Instance => Lazy.Value;
}

/// <summary>Examples that are invalid per the specification, with the rule they break.</summary>
public static class KnownInvalidExamples
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
