using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Mapping.Tests;

public class CohortValidationTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_resource_of_the_converted_seed_0_cohort_conforms_to_its_IG_profile()
    {
        var options = new ExportOptions("examples/cohort-seed0", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) { References = ReferenceStyle.Relative };
        var resources = DomainToFhir.AllResources(CohortGenerator.Generate(0), options).Select(p => p.Resource).ToList();
        var validator = IntrathecalIg.CreateValidator();

        var results = resources.AsParallel().Select(r => (Resource: r, Result: validator.Validate(r))).ToList();
        var errors = results.SelectMany(x => x.Result.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal)
            .Select(i => $"{x.Resource.TypeInfo.Name}/{x.Resource.Id}: {i}")).ToList();
        var profiled = resources.Count(r => r.Meta?.Profile.Count > 0);

        var line = $"Seed-0 cohort validation: {resources.Count - results.Count(x => !x.Result.IsValid)} valid, {results.Count(x => !x.Result.IsValid)} with errors ({profiled} declare an IG profile)";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.Equal(resources.Count, profiled);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Take(20)));
        Assert.True(resources.Count > 8000);

        // The profiles really are applied: the same administration with 7 mg breaks the 2–5 mg invariant.
        var administration = (FhirIntrathecal.Fhir.Model.MedicationAdministration)resources.First(r => r is FhirIntrathecal.Fhir.Model.MedicationAdministration).DeepCopy();
        administration.Dosage!.Dose!.Value = 7m;
        Assert.Contains(validator.Validate(administration).Issues, i => i.Severity == IssueSeverity.Error && i.Expression.StartsWith("MedicationAdministration", StringComparison.Ordinal));
    }
}
