using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>
/// URLs and codes of the IG (profiles/). <see cref="Canonical"/> must equal <c>canonical</c> in
/// profiles/sushi-config.yaml (a test checks it); everything else derives from it.
/// </summary>
public static class Itm
{
    public const string Canonical = "https://fhirintrathecal.example.org/fhir";
    public const string Sct = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    public static string Profile(string id) => $"{Canonical}/StructureDefinition/{id}";

    public static string Ext(string id) => $"{Canonical}/StructureDefinition/{id}";

    public static string CodeSystem(string id) => $"{Canonical}/CodeSystem/{id}";

    /// <summary>Business identifier namespaces: stable across imports, used for conditional creates.</summary>
    public static string Sid(string kind) => $"{Canonical}/sid/registry-{kind}";

    public static readonly string ObsCs = CodeSystem("itm-observation");
    public const string StudyIdentifier = "ITM-REGISTRY";

    public static Coding Coding(string system, string code, string? display = null) => new() { System = system, Code = code, Display = display };

    public static CodeableConcept Concept(string system, string code, string? display = null) => new() { Coding = [Coding(system, code, display)] };

    public static Quantity Qty(decimal value, string unit) => new() { Value = value, Unit = unit, System = Ucum, Code = unit };

    public static Meta Meta(string profileId) => new() { Profile = [Profile(profileId)] };

    public static Identifier Id(string kind, string value) => new() { System = Sid(kind), Value = value };
}
