namespace FhirIntrathecal.Domain;

/// <summary>The diagnosis (indication) of a registry patient.</summary>
public sealed record Diagnosis(DiagnosisKind Kind, int? OnsetYear);

/// <summary>A pseudonymous registry patient: no names or contact details, birth year only.</summary>
public sealed record PatientRecord(string RegistryId, Sex Sex, int BirthYear, Diagnosis Diagnosis);

/// <summary>Sedation on the 4-point scale (0 awake … 3 difficult to arouse) after the injection.</summary>
public sealed record Sedation(int Score);

/// <summary>The follow-up visit: NRS then, and whether quality of life and function improved.</summary>
public sealed record FollowUp(DateOnly Date, int Nrs, bool? FunctionImproved);

/// <summary>
/// Pain on the 0–10 numeric rating scale before the injection and at follow-up. Relief and
/// responder status are derived, never stored, so they cannot disagree with the scores.
/// </summary>
public sealed record PainAssessment(int NrsBaseline, FollowUp? FollowUp)
{
    /// <summary>Percent reduction from baseline, rounded to one decimal; null without a follow-up or with baseline 0.</summary>
    public decimal? ReliefPercent => FollowUp is { } f && NrsBaseline > 0
        ? Math.Round(100m * (NrsBaseline - f.Nrs) / NrsBaseline, 1, MidpointRounding.AwayFromZero)
        : null;

    /// <summary>Positive response = at least 50% relief with better quality of life and function.</summary>
    public bool? Responder => ReliefPercent is { } relief && FollowUp?.FunctionImproved is { } better ? relief >= 50m && better : null;
}

/// <summary>Duration of analgesia: <see cref="ReliefKind.NoEffect"/> counts as 0 weeks, <see cref="ReliefKind.Unknown"/> has no weeks.</summary>
public sealed record ReliefOutcome(ReliefKind Kind, int? Weeks)
{
    public static ReliefOutcome Unknown { get; } = new(ReliefKind.Unknown, null);

    public static ReliefOutcome NoEffect { get; } = new(ReliefKind.NoEffect, 0);

    public static ReliefOutcome ForWeeks(int weeks) => weeks == 0 ? NoEffect : new(ReliefKind.Relief, weeks);

    /// <summary>Weeks of relief where known (0 for no effect).</summary>
    public int? KnownWeeks => Kind == ReliefKind.Unknown ? null : Weeks ?? 0;
}

/// <summary>Screening for neurotoxicity after the injection; true = sign present.</summary>
public sealed record NeurotoxicityScreen(bool BladderDysfunction, bool BowelDysfunction, bool NewRadiculopathy);

public sealed record AdverseEventRecord(AdverseEventKind Kind, Severity Severity, AdverseEventOutcome Outcome);

/// <summary>The prepared injectate: product, lot, diluent and total volume.</summary>
public sealed record Injectate(string Product, string? LotNumber, Diluent Diluent, decimal VolumeMl);

/// <summary>One single-shot lumbar intrathecal midazolam administration and what followed it.</summary>
public sealed record AdministrationRecord(
    string Id,
    string PatientId,
    DateOnly Date,
    decimal DoseMg,
    Injectate Injectate,
    int NeedleGauge,
    PatientPosition Position,
    LumbarLevel Level,
    decimal BedRestHours,
    TreatmentStage Stage,
    decimal? WeightKg,
    Sedation? Sedation,
    PainAssessment? Pain,
    ReliefOutcome Outcome,
    NeurotoxicityScreen? Neurotoxicity,
    ValueList<AdverseEventRecord> AdverseEvents)
{
    /// <summary>Dose per kg of body weight, when the weight is known.</summary>
    public decimal? DosePerKg => WeightKg is > 0 ? DoseMg / WeightKg.Value : null;
}

/// <summary>A clinic's registry: patients and their administrations.</summary>
public sealed record Registry(ValueList<PatientRecord> Patients, ValueList<AdministrationRecord> Administrations);
