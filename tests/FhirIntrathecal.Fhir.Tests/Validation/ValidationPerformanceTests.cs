using System.Diagnostics;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;
using Xunit.Abstractions;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>Coarse throughput figures (the BenchmarkDotNet class has the precise ones); bounds are loose so Debug builds pass.</summary>
public sealed class ValidationPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Warm_single_thread_throughput_on_clinical_examples()
    {
        string[] types = ["Patient", "Observation", "Condition", "Encounter", "MedicationRequest", "Procedure", "AllergyIntolerance", "Immunization", "Practitioner", "DiagnosticReport"];
        var resources = types.SelectMany(t => Directory.GetFiles(FhirPackages.ExamplesFolder, t + "-*.json"))
            .Select(f => FhirJsonParser.Parse(File.ReadAllBytes(f), ParserOptions.Lenient).Value).OfType<Resource>()
            .Where(r => types.Contains(r.TypeInfo.Name)).ToList();
        var validator = SharedValidator.Instance;
        resources.ForEach(r => validator.Validate(r));
        var sw = Stopwatch.StartNew();
        var count = 0;
        while (sw.ElapsedMilliseconds < 3000)
        {
            foreach (var r in resources)
            {
                validator.Validate(r);
                count++;
            }
        }

        var perSecond = count / sw.Elapsed.TotalSeconds;
        output.WriteLine($"Warm validation: {perSecond:F0} resources/s on one thread ({resources.Count} distinct clinical examples)");
        Assert.True(perSecond > 100);
    }

    [Fact]
    public void Transaction_of_10000_entries_with_internal_references_is_linear()
    {
        var validator = SharedValidator.Instance;
        validator.Validate(ValidationWorkloads.Transaction(100));
        var small = Time(() => validator.Validate(ValidationWorkloads.Transaction(2_500)));
        var bundle = ValidationWorkloads.Transaction(10_000);
        ValidationResult? result = null;
        var large = Time(() => result = validator.Validate(bundle));
        output.WriteLine($"10,000-entry transaction: {large.TotalSeconds:F2} s (2,500 entries: {small.TotalSeconds:F2} s, ratio {large / small:F1})");
        Assert.True(result!.IsValid, string.Join("\n", result.Issues.Where(i => i.Severity == IssueSeverity.Error).Take(5)));
        Assert.True(large / small < 8, "validation time should grow linearly with the entry count");
    }

    private static TimeSpan Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed;
    }
}
