using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Snapshot;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Snapshot;

public sealed class SnapshotDerivationTests
{
    private static StructureDefinition Sd(string id, string baseUrl, string differential) => FhirJsonParser.Parse<StructureDefinition>($$$"""
        {"resourceType":"StructureDefinition","id":"{{{id}}}","url":"http://example.test/sd/{{{id}}}","name":"{{{id}}}","status":"draft","kind":"resource",
         "abstract":false,"type":"Patient","baseDefinition":"{{{baseUrl}}}","derivation":"constraint","differential":{"element":[{{{differential}}}]}}
        """).Value!;

    [Fact]
    public void A_profile_on_a_profile_without_snapshots_inherits_both_differentials()
    {
        var a = Sd("a", "http://hl7.org/fhir/StructureDefinition/Patient", """
            {"id":"Patient.identifier","path":"Patient.identifier","slicing":{"discriminator":[{"type":"value","path":"system"}],"rules":"open"}},
            {"id":"Patient.identifier:mrn","path":"Patient.identifier","sliceName":"mrn","min":1,"max":"1"},
            {"id":"Patient.identifier:mrn.system","path":"Patient.identifier.system","fixedUri":"urn:mrn"},
            {"id":"Patient.name","path":"Patient.name","min":1,"constraint":[{"key":"a-1","severity":"error","human":"family","expression":"family.exists()"}]}
            """);
        var b = Sd("b", "http://example.test/sd/a", """
            {"id":"Patient.identifier:mrn.value","path":"Patient.identifier.value","min":1},
            {"id":"Patient.name","path":"Patient.name","max":"1"},
            {"id":"Patient.name.family","path":"Patient.name.family","min":1}
            """);
        var resolver = CanonicalResolver.CreateDefault(FhirPackages.Cache, [a, b]);
        var result = new SnapshotGenerator(resolver).GenerateWithProblems(b);
        Assert.Empty(result.Problems);
        var elements = result.StructureDefinition.Snapshot!.Element.ToDictionary(e => e.Id!);
        Assert.Equal("urn:mrn", ((FhirUri)elements["Patient.identifier:mrn.system"].Fixed!).Value);
        Assert.Equal(1, elements["Patient.identifier:mrn.value"].Min!.Value);
        Assert.Equal((1, "1"), (elements["Patient.name"].Min!.Value!.Value, elements["Patient.name"].Max!.Value));
        Assert.Contains(elements["Patient.name"].Constraint, c => c.Key?.Value == "a-1");
        Assert.Contains(elements["Patient.name"].Constraint, c => c.Key?.Value == "ele-1");
        Assert.Equal(1, elements["Patient.name.family"].Min!.Value);
        Assert.Equal("value:system open", $"{elements["Patient.identifier"].Slicing!.Discriminator[0].Type?.Value}:{elements["Patient.identifier"].Slicing!.Discriminator[0].Path?.Value} {elements["Patient.identifier"].Slicing!.Rules?.Value}");
        // Element order: the slice follows the sliced element's own children.
        var ids = result.StructureDefinition.Snapshot.Element.Select(e => e.Id!).ToList();
        Assert.True(ids.IndexOf("Patient.identifier:mrn") > ids.IndexOf("Patient.identifier.assigner"));
    }
}
