using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>Domain enum ⇄ code tables, one place for both directions of the mapping.</summary>
internal static class Terms
{
    public static readonly CodeMap<Diluent> Diluent = new(Itm.Sct, (Domain.Diluent.Glucose5Percent, "67079006", "Glucose"), (Domain.Diluent.Saline09Percent, "387390002", "Sodium chloride"));
    public static readonly CodeMap<PatientPosition> Position = new(Itm.Sct, (PatientPosition.Recumbent, "102538003", "Recumbent body position"), (PatientPosition.Supine, "40199007", "Supine body position"));
    public static readonly CodeMap<LumbarLevel> Level = new(Itm.CodeSystem("lumbar-interspace"),
        (LumbarLevel.L1L2, "L1-L2", null), (LumbarLevel.L2L3, "L2-L3", null), (LumbarLevel.L3L4, "L3-L4", null), (LumbarLevel.L4L5, "L4-L5", null), (LumbarLevel.L5S1, "L5-S1", null));
    public static readonly CodeMap<TreatmentStage> Stage = new(Itm.CodeSystem("treatment-stage"),
        (TreatmentStage.LocalInjection, "local-injection", null), (TreatmentStage.EpiduralSteroid, "epidural-steroid", null), (TreatmentStage.IntrathecalMidazolam, "intrathecal-midazolam", null));
    public static readonly CodeMap<DiagnosisKind> Diagnosis = new(Itm.Sct, (DiagnosisKind.ChronicLowBackPain, "278860009", "Chronic low back pain"), (DiagnosisKind.FailedBackSurgerySyndrome, "27151001", "Post-laminectomy syndrome"));
    public static readonly CodeMap<AdverseEventKind> AdverseEvent = new(Itm.Sct,
        (AdverseEventKind.Drowsiness, "271782001", "Drowsy"), (AdverseEventKind.Headache, "25064002", "Headache"), (AdverseEventKind.Nausea, "422587007", "Nausea"),
        (AdverseEventKind.PainWorsening, "271299001", "Patient's condition worsened"), (AdverseEventKind.PostDuralPunctureHeadache, "398987004", "Headache following lumbar puncture"),
        (AdverseEventKind.BladderDysfunction, "40492006", "Bladder dysfunction"), (AdverseEventKind.BowelDysfunction, "235594008", "Bowel dysfunction"), (AdverseEventKind.Radiculopathy, "128196005", "Lumbar radiculopathy"));
    public static readonly CodeMap<Severity> Severity = new("http://terminology.hl7.org/CodeSystem/adverse-event-severity",
        (Domain.Severity.Mild, "mild", "Mild"), (Domain.Severity.Moderate, "moderate", "Moderate"), (Domain.Severity.Severe, "severe", "Severe"));
    public static readonly CodeMap<AdverseEventOutcome> AeOutcome = new("http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
        (AdverseEventOutcome.Resolved, "resolved", "Resolved"), (AdverseEventOutcome.Recovering, "recovering", "Recovering"), (AdverseEventOutcome.Ongoing, "ongoing", "Ongoing"),
        (AdverseEventOutcome.ResolvedWithSequelae, "resolvedWithSequelae", "Resolved with Sequelae"), (AdverseEventOutcome.Unknown, "unknown", "Unknown"));
}

internal sealed class CodeMap<T>
    where T : struct, Enum
{
    private readonly Dictionary<T, (string Code, string? Display)> _to;
    private readonly Dictionary<string, T> _from;

    public CodeMap(string system, params (T Value, string Code, string? Display)[] rows)
    {
        System = system;
        _to = rows.ToDictionary(r => r.Value, r => (r.Code, r.Display));
        _from = rows.ToDictionary(r => r.Code, r => r.Value, StringComparer.Ordinal);
    }

    public string System { get; }

    public bool Has(T value) => _to.ContainsKey(value);

    public FhirIntrathecal.Fhir.Model.CodeableConcept Concept(T value) => Itm.Concept(System, _to[value].Code, _to[value].Display);

    /// <summary>The first coding of <see cref="System"/> that this map knows.</summary>
    public T? From(FhirIntrathecal.Fhir.Model.CodeableConcept? concept)
    {
        foreach (var c in concept?.Coding ?? [])
        {
            if (c.System?.Value == System && c.Code?.Value is { } code && _from.TryGetValue(code, out var v))
            {
                return v;
            }
        }

        return null;
    }
}
