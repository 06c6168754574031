namespace FhirIntrathecal.Exchange;

/// <summary>The pump registry's entries of the one catalogue: its domain rules (<c>PumpRules</c>) and the refusal of a record whose patient or implant went.</summary>
public static partial class DiagnosticCatalog
{
    public static readonly DiagnosticCode ReferenceRefused = new("REGISTRY_REFERENCE_REFUSED", E, "the record's patient or implant is missing or was refused");

    public static readonly DiagnosticCode RulePumpTrialDose = new("RULE_PUMP_TRIAL_DOSE", E, "the baclofen screening bolus is above the trial maximum");
    public static readonly DiagnosticCode RulePumpReservoir = new("RULE_PUMP_RESERVOIR", E, "the reservoir volume must be more than 0 and at most 40 mL");
    public static readonly DiagnosticCode RulePumpDoseAboveLabel = new("RULE_PUMP_DOSE_ABOVE_LABEL", E, "a programmed rate is above the drug's labelled maximum");
    public static readonly DiagnosticCode RulePumpDoseBelowLabel = new("RULE_PUMP_DOSE_BELOW_LABEL", W, "a programmed rate is below the drug's labelled minimum");
    public static readonly DiagnosticCode RulePumpConcentration = new("RULE_PUMP_CONCENTRATION", E, "the drug does not come at this concentration");
    public static readonly DiagnosticCode RulePumpNotImplanted = new("RULE_PUMP_NOT_IMPLANTED", E, "the pump is not implanted on this date");
    public static readonly DiagnosticCode RulePumpOverfill = new("RULE_PUMP_OVERFILL", E, "the fill volume is more than the pump's reservoir");
    public static readonly DiagnosticCode RulePumpVolume = new("RULE_PUMP_VOLUME", E, "volumes must not be negative and the fill must be more than 0 mL");
    public static readonly DiagnosticCode RulePumpVolumeDiscrepancy = new("RULE_PUMP_VOLUME_DISCREPANCY", W, "aspirated and expected residual volumes differ by more than the threshold (stalled motor, blocked catheter or pocket fill?)");
    public static readonly DiagnosticCode RulePumpRefillLate = new("RULE_PUMP_REFILL_LATE", W, "the refill is later than the low-reservoir date computed from the previous fill");
    public static readonly DiagnosticCode RulePumpScoreRange = new("RULE_PUMP_SCORE_RANGE", E, "a score is outside its scale (Penn frequency 0–4, severity 1–3 only with spasms, NRS 0–10, Oswestry 0–100%)");
    public static readonly DiagnosticCode RulePumpAbruptStop = new("RULE_PUMP_ABRUPT_STOP", W, "baclofen stopped without a taper (withdrawal risk)");

    private static IReadOnlyList<DiagnosticCode> PumpCodes =>
    [
        ReferenceRefused, RulePumpTrialDose, RulePumpReservoir, RulePumpDoseAboveLabel, RulePumpDoseBelowLabel, RulePumpConcentration, RulePumpNotImplanted,
        RulePumpOverfill, RulePumpVolume, RulePumpVolumeDiscrepancy, RulePumpRefillLate, RulePumpScoreRange, RulePumpAbruptStop,
    ];

    /// <summary>Pump rule code and the kind of record it names (<c>programme</c>, <c>refill</c>...) → (catalogue entry, the field it concerns).</summary>
    public static (DiagnosticCode Code, string Field) ForPumpRule(string ruleCode, string kind) => (ruleCode, kind) switch
    {
        ("pump-trial-dose", _) => (RulePumpTrialDose, "dose_ug"),
        ("pump-reservoir", _) => (RulePumpReservoir, "reservoir_ml"),
        ("pump-date-order", "implant") => (RuleDateOrder, "explant_date"),
        ("pump-date-order", _) => (RuleDateOrder, "end"),
        ("pump-dose-above-label", _) => (RulePumpDoseAboveLabel, "basal_ug_d"),
        ("pump-dose-below-label", _) => (RulePumpDoseBelowLabel, "basal_ug_d"),
        ("pump-concentration", _) => (RulePumpConcentration, "concentration_ug_ml"),
        ("pump-not-implanted", "programme") => (RulePumpNotImplanted, "start"),
        ("pump-not-implanted", _) => (RulePumpNotImplanted, "date"),
        ("pump-overfill", _) => (RulePumpOverfill, "fill_ml"),
        ("pump-volume", _) => (RulePumpVolume, "fill_ml"),
        ("pump-volume-discrepancy", _) => (RulePumpVolumeDiscrepancy, "aspirated_ml"),
        ("pump-refill-late", _) => (RulePumpRefillLate, "date"),
        ("pump-score-range", _) => (RulePumpScoreRange, "outcome_id"),
        ("pump-abrupt-stop", "implant") => (RulePumpAbruptStop, "explant_date"),
        ("pump-abrupt-stop", _) => (RulePumpAbruptStop, "mode"),
        _ => (RuleOther, $"{kind}_id"),
    };
}
