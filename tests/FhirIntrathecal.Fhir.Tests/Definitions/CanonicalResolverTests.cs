using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Definitions;

public class CanonicalResolverTests
{
    [Fact]
    public void Resolves_core_and_terminology_resources_by_url_and_version_lazily()
    {
        var resolver = CanonicalResolver.CreateDefault(FhirPackages.Cache);
        var sd = resolver.Resolve<StructureDefinition>("http://hl7.org/fhir/StructureDefinition/MedicationAdministration|4.0.1");
        Assert.NotNull(sd);
        Assert.Equal("MedicationAdministration", sd.Type?.Value);
        Assert.True(sd.Snapshot!.Element.Count == 42);
        Assert.Same(sd, resolver.ResolveCanonical("http://hl7.org/fhir/StructureDefinition/MedicationAdministration"));
        Assert.Null(resolver.ResolveCanonical("http://hl7.org/fhir/StructureDefinition/MedicationAdministration|9.9.9"));
        Assert.NotNull(resolver.Resolve<CodeSystem>("http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"));
        Assert.Null(resolver.ResolveCanonical("http://example.org/nothing"));
    }

    [Fact]
    public void In_memory_resources_win_over_packages()
    {
        var mine = new ValueSet { Url = "http://hl7.org/fhir/ValueSet/administrative-gender", Version = "4.0.1", Name = "Mine" };
        var resolver = CanonicalResolver.CreateDefault(FhirPackages.Cache, [mine]);
        Assert.Same(mine, resolver.ResolveCanonical("http://hl7.org/fhir/ValueSet/administrative-gender"));
    }

    [Fact]
    public void Restored_packages_are_in_the_standard_cache_layout_with_a_synthesized_core()
    {
        var core = FhirPackages.CoreFolder;
        Assert.EndsWith(Path.Combine("hl7.fhir.r4.core#4.0.1", "package"), core);
        var index = PackageIndex.Read(core);
        Assert.Equal(655, index.Count(e => e.ResourceType == "StructureDefinition"));
        Assert.DoesNotContain(index, e => e.ResourceType is "Patient" or "Observation");
        Assert.Contains("\"name\": \"hl7.fhir.r4.core\"", File.ReadAllText(Path.Combine(core, "package.json")));
    }
}
