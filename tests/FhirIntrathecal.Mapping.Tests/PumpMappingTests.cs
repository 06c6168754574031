using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>Pump records → FHIR: every resource declares a pump (or shared) IG profile and validates against it.</summary>
public class PumpMappingTests
{
    private static readonly ExportOptions Options = new("pump-registry", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { References = ReferenceStyle.Relative };

    [Fact]
    public void Every_mapped_resource_conforms_to_its_IG_profile_with_no_error_or_warning()
    {
        var resources = PumpToFhir.AllResources(PumpSamples.Registry(), Options).Select(p => p.Resource).ToList();
        var validator = IntrathecalIg.CreateValidator();
        var problems = resources.SelectMany(r => validator.Validate(r).Issues
            .Where(i => i.Severity is not IssueSeverity.Information)
            .Select(i => $"{r.TypeInfo.Name}/{r.Id}: {i}")).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.All(resources, r => Assert.NotEmpty(r.Meta!.Profile));
        Assert.All(resources.OfType<DomainResource>(), r => Assert.Equal("generated", r.Text!.Status!.Value));
        var counts = resources.GroupBy(r => r.Meta!.Profile[0].Value!.Split('/')[^1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, counts["itm-patient"]);
        Assert.Equal(3, counts["itp-pump"]);
        Assert.Equal(4, counts["itp-programme"]);
        Assert.Equal(4, counts["itp-delivery-segment"]);
        Assert.Equal(3, counts["itp-refill-reading"]);
        Assert.Equal(3, counts["itp-mas"]);
        Assert.Equal(1, counts["itp-explant"]);
        Assert.Equal(1, counts["itp-trial-response"]);
    }

    [Fact]
    public void The_transaction_bundles_validate_without_errors()
    {
        // Note: the validator evaluates entry invariants with the entry as %rootResource, so resolve() does not reach other
        // entries and the cross-resource invariants (itp-refill-reservoir, itp-reprogram-*) bite only on contained targets
        // (see the invalid examples); on registry data PumpRules (pump-overfill, pump-not-implanted) enforce them.
        var validator = IntrathecalIg.CreateValidator();
        var bundles = PumpToFhir.TransactionBundles(PumpSamples.Registry(), Options).ToList();
        Assert.Equal(2, bundles.Count);
        Assert.All(bundles, b => Assert.Equal("transaction", b.Type!.Value));
        foreach (var bundle in bundles)
        {
            var errors = validator.Validate(bundle).Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList();
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        }
    }
}
