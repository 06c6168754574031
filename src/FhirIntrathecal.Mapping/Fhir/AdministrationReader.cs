using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>One MedicationAdministration with its Medication, Observations and AdverseEvents → an administration record.</summary>
internal static class AdministrationReader
{
    public static AdministrationRecord Read(MedicationAdministration ma, string patientId, Medication? med, Observation? weight, List<Observation> obs, List<AdverseEvent> events)
    {
        var id = ma.Identifier.FirstOrDefault(i => i.System?.Value == Itm.Sid("administration"))?.Value?.Value
            ?? throw new InvalidDataException("MedicationAdministration without a registry identifier");
        string Where(string what) => $"administration {id}: {what}";
        T Need<T>(T? value, string what) where T : struct => value ?? throw new InvalidDataException(Where($"missing {what}"));
        Extension? Ext(string name) => ma.Extension.FirstOrDefault(e => e.Url == Itm.Ext(name));

        var date = ParseDate((ma.Effective as FhirDateTime)?.Value) ?? throw new InvalidDataException(Where("no effectiveDateTime"));
        var dose = Need(ma.Dosage?.Dose?.Value?.Value, "dose");
        if (med is null)
        {
            throw new InvalidDataException(Where("medication reference does not resolve"));
        }

        var volume = Need((med.Extension.FirstOrDefault(e => e.Url == Itm.Ext("injectate-volume"))?.Value as Quantity)?.Value?.Value, "injectate volume");
        var diluent = Need(med.Ingredient.Where(i => i.IsActive?.Value == false).Select(i => Terms.Diluent.From(i.Item as CodeableConcept)).FirstOrDefault(d => d is not null), "diluent");
        var injectate = new Injectate(med.Code?.Text?.Value ?? string.Empty, med.Batch?.LotNumber?.Value, diluent, volume);

        Observation? ByCode(string system, string code) => obs.FirstOrDefault(o => o.Code?.Coding.Any(c => c.System?.Value == system && c.Code?.Value == code) == true);
        var nrs = obs.Where(o => o.Code?.Coding.Any(c => c.Code?.Value == "72514-3") == true).OrderBy(o => (o.Effective as FhirDateTime)?.Value, StringComparer.Ordinal).ToList();
        var sedation = ByCode(Itm.ObsCs, "sedation-score")?.Value is CodeableConcept sc && int.TryParse(sc.Coding.FirstOrDefault()?.Code?.Value, CultureInfo.InvariantCulture, out var score) ? new Sedation(score) : null;

        return new AdministrationRecord(
            id,
            patientId,
            date,
            dose,
            injectate,
            NeedleGauge: Need((Ext("needle-gauge")?.Value as Integer)?.Value, "needle gauge"),
            Position: Need(Terms.Position.From(Ext("patient-position")?.Value as CodeableConcept), "position"),
            Level: Need(Terms.Level.From(Ext("lumbar-interspace")?.Value as CodeableConcept), "lumbar interspace"),
            BedRestHours: Need((Ext("bed-rest")?.Value as Quantity)?.Value?.Value, "bed rest"),
            Stage: Need(Terms.Stage.From(Ext("treatment-stage")?.Value as CodeableConcept), "treatment stage"),
            WeightKg: (weight?.Value as Quantity)?.Value?.Value,
            Sedation: sedation,
            Pain: Pain(nrs),
            Outcome: Outcome(ByCode(Itm.ObsCs, "analgesia-duration")),
            Neurotoxicity: Neuro(ByCode(Itm.ObsCs, "neurotox-screen")),
            AdverseEvents: new(events.Select(e => new AdverseEventRecord(
                Need(Terms.AdverseEvent.From(e.Event), "adverse event code"),
                Need(Terms.Severity.From(e.Severity), "adverse event severity"),
                Need(Terms.AeOutcome.From(e.Outcome), "adverse event outcome")))));
    }

    private static DateOnly? ParseDate(string? s) =>
        s is { Length: >= 10 } && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Baseline = the NRS without a function component dated first; follow-up = the later one.</summary>
    private static PainAssessment? Pain(List<Observation> nrs)
    {
        if (nrs.Count == 0 || nrs[0].Value is not Integer { Value: { } baseline })
        {
            return null;
        }

        FollowUp? follow = null;
        if (nrs.Count > 1 && nrs[1].Value is Integer { Value: { } after } && ParseDate((nrs[1].Effective as FhirDateTime)?.Value) is { } when)
        {
            var better = nrs[1].Component.FirstOrDefault(c => c.Code?.Coding.Any(x => x.Code?.Value == "function-improved") == true)?.Value as FhirBoolean;
            follow = new FollowUp(when, after, better?.Value);
        }

        return new PainAssessment(baseline, follow);
    }

    private static ReliefOutcome Outcome(Observation? o) => o?.Value switch
    {
        Quantity { Value.Value: { } w } when w == 0 => ReliefOutcome.NoEffect,
        Quantity { Value.Value: { } w } => new ReliefOutcome(ReliefKind.Relief, (int)w),
        _ => ReliefOutcome.Unknown,
    };

    private static NeurotoxicityScreen? Neuro(Observation? o)
    {
        if (o is null)
        {
            return null;
        }

        bool Present(string code) => o.Component.FirstOrDefault(c => c.Code?.Coding.Any(x => x.Code?.Value == code) == true)?.Value is CodeableConcept cc
            && cc.Coding.Any(x => x.Code?.Value == "52101004");
        return new NeurotoxicityScreen(Present("bladder-dysfunction"), Present("bowel-dysfunction"), Present("new-radiculopathy"));
    }
}
