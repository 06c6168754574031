using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Conformance;

namespace FhirIntrathecal.Exchange.Conformance;

/// <summary>
/// The resource types our registry exchange sends and pulls, and the <see cref="CheckScope"/> that checks a server for
/// them (a minimal instance of each, linked as the mapping links them). Fhir.Rest knows none of this.
/// </summary>
public static class ExchangeResources
{
    public const string IdentifierSystem = "urn:fhir-intrathecal:conformance-check";

    public static IReadOnlyList<string> Types { get; } =
    [
        "Patient", "Condition", "Medication", "MedicationAdministration", "Observation",
        "AdverseEvent", "ResearchStudy", "ResearchSubject", "Provenance",
    ];

    /// <summary>What <c>check</c> and <c>demo</c> check a server for.</summary>
    public static CheckScope Scope { get; } = new(Types, IdentifierSystem, Transaction);

    /// <summary>One transaction creating one of each type, linked by urn:uuid references, tagged with <paramref name="run"/>.</summary>
    public static TransactionBuilder Transaction(string run)
    {
        string Url(string type) => $"urn:uuid:{Guid.NewGuid()}";
        var patientUrl = Url("Patient");
        var studyUrl = Url("ResearchStudy");
        var medicationUrl = Url("Medication");
        var administrationUrl = Url("MedicationAdministration");
        var code = new CodeableConcept { Coding = [new Coding { System = "http://snomed.info/sct", Code = "278860009", Display = "Chronic low back pain" }] };
        var subject = new Reference { Reference_ = patientUrl };
        var ifNone = (string kind) => SearchParameters.Empty.Identifier(IdentifierSystem, $"{run}-{kind}");
        var id = (string kind) => new List<Identifier> { new() { System = IdentifierSystem, Value = $"{run}-{kind}" } };

        return new TransactionBuilder()
            .Create(new Patient { Identifier = id("patient"), Active = true }, patientUrl, ifNone("patient"))
            .Create(new Condition { Identifier = id("condition"), Code = code, Subject = subject }, Url("Condition"), ifNone("condition"))
            .Create(new Medication { Identifier = id("medication"), Code = new CodeableConcept { Text = "midazolam 5 mg/ml" } }, medicationUrl, ifNone("medication"))
            .Create(new ResearchStudy { Identifier = id("study"), Status = "active" }, studyUrl, ifNone("study"))
            .Create(new MedicationAdministration
            {
                Identifier = id("administration"),
                Status = "completed",
                Medication = new Reference { Reference_ = medicationUrl },
                Subject = subject,
                Effective = new FhirDateTime("2020-01-02"),
            }, administrationUrl, ifNone("administration"))
            .Create(new Observation { Identifier = id("observation"), Status = "final", Code = new CodeableConcept { Text = "pain relief (weeks)" }, Subject = subject }, Url("Observation"), ifNone("observation"))
            .Create(new AdverseEvent { Identifier = id("adverse-event")[0], Actuality = "actual", Subject = subject }, Url("AdverseEvent"), ifNone("adverse-event"))
            .Create(new ResearchSubject { Identifier = id("subject"), Status = "on-study", Study = new Reference { Reference_ = studyUrl }, Individual = subject }, Url("ResearchSubject"), ifNone("subject"))
            .Create(new Provenance
            {
                Target = [new Reference { Reference_ = administrationUrl }],
                Recorded = "2020-01-02T10:00:00Z",
                Agent = [new Provenance.AgentComponent { Who = new Reference { Display = "fhir-intrathecal check" } }],
            }, Url("Provenance"), (string?)null);
    }
}
