using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>The registry files' spellings of the domain enums (one table, used for reading and writing).</summary>
internal static class Codes
{
    public static readonly Spelling<Sex> Sex = new(("male", Domain.Sex.Male), ("female", Domain.Sex.Female));
    public static readonly Spelling<DiagnosisKind> Diagnosis = new(("lbp", DiagnosisKind.ChronicLowBackPain), ("fbss", DiagnosisKind.FailedBackSurgerySyndrome));
    public static readonly Spelling<Diluent> Diluent = new(("glucose-5", Domain.Diluent.Glucose5Percent), ("saline-0.9", Domain.Diluent.Saline09Percent));
    public static readonly Spelling<PatientPosition> Position = new(("recumbent", PatientPosition.Recumbent), ("supine", PatientPosition.Supine));
    public static readonly Spelling<LumbarLevel> Level = new(("L1-L2", LumbarLevel.L1L2), ("L2-L3", LumbarLevel.L2L3), ("L3-L4", LumbarLevel.L3L4), ("L4-L5", LumbarLevel.L4L5), ("L5-S1", LumbarLevel.L5S1));
    public static readonly Spelling<TreatmentStage> Stage = new(("local-injection", TreatmentStage.LocalInjection), ("epidural-steroid", TreatmentStage.EpiduralSteroid), ("intrathecal-midazolam", TreatmentStage.IntrathecalMidazolam));
    public static readonly Spelling<ReliefKind> Relief = new(("weeks", ReliefKind.Relief), ("none", ReliefKind.NoEffect), ("unknown", ReliefKind.Unknown));
    public static readonly Spelling<AdverseEventKind> AdverseEvent = new(
        ("drowsiness", AdverseEventKind.Drowsiness), ("headache", AdverseEventKind.Headache), ("nausea", AdverseEventKind.Nausea),
        ("pain-worsening", AdverseEventKind.PainWorsening), ("pdph", AdverseEventKind.PostDuralPunctureHeadache),
        ("bladder-dysfunction", AdverseEventKind.BladderDysfunction), ("bowel-dysfunction", AdverseEventKind.BowelDysfunction), ("radiculopathy", AdverseEventKind.Radiculopathy));
    public static readonly Spelling<Severity> Severity = new(("mild", Domain.Severity.Mild), ("moderate", Domain.Severity.Moderate), ("severe", Domain.Severity.Severe));
    public static readonly Spelling<AdverseEventOutcome> AeOutcome = new(
        ("resolved", AdverseEventOutcome.Resolved), ("recovering", AdverseEventOutcome.Recovering), ("ongoing", AdverseEventOutcome.Ongoing),
        ("resolved-with-sequelae", AdverseEventOutcome.ResolvedWithSequelae), ("unknown", AdverseEventOutcome.Unknown));
}

/// <summary>A two-way table between text codes and enum values.</summary>
internal sealed class Spelling<T>
    where T : struct, Enum
{
    private readonly Dictionary<string, T> _parse;
    private readonly Dictionary<T, string> _format;

    public Spelling(params (string Text, T Value)[] pairs)
    {
        _parse = pairs.ToDictionary(p => p.Text, p => p.Value, StringComparer.OrdinalIgnoreCase);
        _format = pairs.ToDictionary(p => p.Value, p => p.Text);
    }

    public string Allowed => string.Join("|", _format.Values);

    public string Format(T value) => _format[value];

    public bool TryParse(string text, out T value) => _parse.TryGetValue(text.Trim(), out value);
}
