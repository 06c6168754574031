using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>A validator over the core plus small test profiles given as differentials only (so they go through the snapshot generator).</summary>
public static class NegativeFixture
{
    public const string ProfileBase = "http://example.test/StructureDefinition/";

    private static readonly Lazy<FhirValidator> Lazy = new(() =>
        new FhirValidator(CanonicalResolver.CreateDefault(FhirPackages.Cache, Profiles().ToList())));

    public static FhirValidator Validator => Lazy.Value;

    public static ValidationResult Json(string json, params string[] profiles) =>
        Validator.ValidateJson(System.Text.Encoding.UTF8.GetBytes(json), profiles);

    public static void AssertIssue(ValidationResult result, string messageId, string expression, IssueSeverity? severity = null)
    {
        var hit = result.Issues.FirstOrDefault(i => i.MessageId == messageId && i.Expression == expression && (severity is null || i.Severity == severity));
        Assert.True(hit is not null, $"expected {messageId} at {expression}; got:\n" + string.Join("\n", result.Issues));
    }

    private static IEnumerable<Resource> Profiles()
    {
        yield return Profile("patient-rules", "Patient", """
            {"id":"Patient","path":"Patient"},
            {"id":"Patient.identifier","path":"Patient.identifier","slicing":{"discriminator":[{"type":"value","path":"system"}],"ordered":true,"rules":"closed"}},
            {"id":"Patient.identifier:mrn","path":"Patient.identifier","sliceName":"mrn","min":1,"max":"1"},
            {"id":"Patient.identifier:mrn.system","path":"Patient.identifier.system","min":1,"fixedUri":"urn:mrn"},
            {"id":"Patient.identifier:ssn","path":"Patient.identifier","sliceName":"ssn","max":"1"},
            {"id":"Patient.identifier:ssn.system","path":"Patient.identifier.system","min":1,"fixedUri":"urn:ssn"},
            {"id":"Patient.name","path":"Patient.name","max":"1"},
            {"id":"Patient.name.family","path":"Patient.name.family","maxLength":3},
            {"id":"Patient.gender","path":"Patient.gender","fixedCode":"female"},
            {"id":"Patient.multipleBirth[x]","path":"Patient.multipleBirth[x]","type":[{"code":"integer"}],"maxValueInteger":5}
            """);
        yield return Profile("exists-slicing", "Patient", """
            {"id":"Patient","path":"Patient"},
            {"id":"Patient.telecom","path":"Patient.telecom","slicing":{"discriminator":[{"type":"exists","path":"period"}],"rules":"closed"}},
            {"id":"Patient.telecom:dated","path":"Patient.telecom","sliceName":"dated","min":1},
            {"id":"Patient.telecom:dated.period","path":"Patient.telecom.period","min":1}
            """);
        yield return Profile("list-of-patients", "List", """
            {"id":"List","path":"List"},
            {"id":"List.entry","path":"List.entry","slicing":{"discriminator":[{"type":"type","path":"item.resolve()"}],"rules":"closed"}},
            {"id":"List.entry:patient","path":"List.entry","sliceName":"patient","min":1},
            {"id":"List.entry:patient.item","path":"List.entry.item","type":[{"code":"Reference","targetProfile":["http://hl7.org/fhir/StructureDefinition/Patient"]}]}
            """);
        yield return Profile("identified-patient", "Patient", """
            {"id":"Patient","path":"Patient"},
            {"id":"Patient.identifier","path":"Patient.identifier","min":1}
            """);
        yield return Profile("observation-on-identified-patient", "Observation", """
            {"id":"Observation","path":"Observation"},
            {"id":"Observation.subject","path":"Observation.subject","type":[{"code":"Reference","targetProfile":["http://example.test/StructureDefinition/identified-patient"]}]}
            """);
        yield return Profile("observation-rules", "Observation", """
            {"id":"Observation","path":"Observation"},
            {"id":"Observation.code","path":"Observation.code","patternCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]}},
            {"id":"Observation.subject","path":"Observation.subject","min":1,"type":[{"code":"Reference","targetProfile":["http://hl7.org/fhir/StructureDefinition/Patient"]}]}
            """);
    }

    private static StructureDefinition Profile(string id, string type, string differential)
    {
        var json = $$$"""
            {"resourceType":"StructureDefinition","id":"{{{id}}}","url":"{{{ProfileBase}}}{{{id}}}","name":"{{{id.Replace("-", "", StringComparison.Ordinal)}}}","status":"draft",
             "kind":"resource","abstract":false,"type":"{{{type}}}","baseDefinition":"http://hl7.org/fhir/StructureDefinition/{{{type}}}",
             "derivation":"constraint","differential":{"element":[{{{differential}}}]}}
            """;
        var parsed = FhirJsonParser.Parse<StructureDefinition>(json);
        Assert.True(parsed.Success, string.Join("\n", parsed.Issues));
        return parsed.Value!;
    }
}
