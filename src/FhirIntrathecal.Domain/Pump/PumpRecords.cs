namespace FhirIntrathecal.Domain.Pump;

/// <summary>A pseudonymous pump patient: registry id, sex, birth year and the indication.</summary>
public sealed record PumpPatientRecord(string RegistryId, Sex Sex, int BirthYear, PumpIndication Indication, int? OnsetYear);

/// <summary>A screening bolus before an implant (baclofen 50, 75 then 100 ug); <see cref="Positive"/> = adequate response.</summary>
public sealed record TrialRecord(string Id, string PatientId, DateOnly Date, PumpDrug Drug, decimal DoseUg, bool? Positive);

/// <summary>The implanted pump: UDI device identifier and human-readable carrier, serial, lot, model, manufacturer, reservoir.</summary>
public sealed record PumpDevice(string UdiDeviceIdentifier, string UdiCarrier, string SerialNumber, string LotNumber, string Model, string Manufacturer, decimal ReservoirMl);

/// <summary>The intrathecal catheter and where its tip lies.</summary>
public sealed record CatheterDevice(string Model, string LotNumber, SpinalLevel? TipLevel);

/// <summary>Removal of the pump: when, why, and whether the catheter stays (to feed a replacement pump).</summary>
public sealed record Explant(DateOnly Date, ExplantReason Reason, bool CatheterKept);

/// <summary>One pump in one patient, from implant to explant (null while implanted).</summary>
public sealed record ImplantRecord(string Id, string PatientId, DateOnly Date, PumpDevice Pump, CatheterDevice Catheter, Explant? Explant)
{
    /// <summary>True when the pump is in the patient on <paramref name="day"/> (implant day included, explant day excluded).</summary>
    public bool ImplantedOn(DateOnly day) => day >= Date && (Explant is null || day < Explant.Date);
}

/// <summary>One flex step: from <see cref="Start"/> (time of day) the pump runs at <see cref="RateUgPerDay"/>.</summary>
public sealed record FlexStep(TimeOnly Start, decimal RateUgPerDay);

/// <summary>Patient-activated boluses (Personal Therapy Manager): dose, lockout, most boluses a day.</summary>
public sealed record PtmSettings(decimal BolusUg, int LockoutMinutes, int MaxBolusesPerDay);

/// <summary>
/// A programme in force from <see cref="Start"/> until <see cref="End"/> (null = still running) on one implant:
/// drug and concentration in the reservoir, mode, basal rate, flex steps and PTM boluses.
/// </summary>
public sealed record ProgrammeRecord(
    string Id,
    string ImplantId,
    DateOnly Start,
    DateOnly? End,
    PumpDrug Drug,
    decimal ConcentrationUgPerMl,
    InfusionMode Mode,
    decimal BasalUgPerDay,
    ValueList<FlexStep> FlexSteps,
    PtmSettings? Ptm)
{
    /// <summary>Every rate the programme runs at: the basal rate and each flex step.</summary>
    public IEnumerable<decimal> Rates => FlexSteps.Select(s => s.RateUgPerDay).Prepend(BasalUgPerDay);

    /// <summary>Mean daily dose: flex steps weighted by the hours each runs; the basal rate otherwise.</summary>
    public decimal MeanUgPerDay => Mode == InfusionMode.Flex && FlexSteps.Count > 0 ? FlexMean() : Mode == InfusionMode.Stopped ? 0m : BasalUgPerDay;

    private decimal FlexMean()
    {
        var steps = FlexSteps.OrderBy(s => s.Start).ToArray();
        var total = 0m;
        for (var i = 0; i < steps.Length; i++)
        {
            var next = i + 1 < steps.Length ? steps[i + 1].Start : steps[0].Start;
            var minutes = (decimal)(next - steps[i].Start).TotalMinutes;
            total += steps[i].RateUgPerDay * (minutes == 0 ? 1440m : minutes) / 1440m;
        }

        return Math.Round(total, 1, MidpointRounding.AwayFromZero);
    }
}

/// <summary>A refill: residual expected by the pump vs aspirated, the volume filled, the fill's drug, concentration and lot.</summary>
public sealed record RefillRecord(
    string Id,
    string ImplantId,
    DateOnly Date,
    decimal ExpectedMl,
    decimal AspiratedMl,
    decimal FillMl,
    PumpDrug Drug,
    decimal ConcentrationUgPerMl,
    string LotNumber,
    DateOnly? LowReservoirDate);

/// <summary>A telemetry read-out, with or without reprogramming: alarms logged, elective replacement indicator, expected reservoir volume.</summary>
public sealed record InterrogationRecord(string Id, string ImplantId, DateOnly Date, bool Reprogrammed, ValueList<PumpAlarm> Alarms, bool ElectiveReplacement, decimal? ExpectedMl);

/// <summary>One MAS grade of one muscle group on one side.</summary>
public sealed record MasScore(MuscleGroup Muscle, Side Side, MasGrade Grade);

/// <summary>An outcome visit: MAS per muscle group and side, Penn spasm frequency (0–4) and severity (1–3), pain NRS, Oswestry (%).</summary>
public sealed record OutcomeRecord(string Id, string PatientId, DateOnly Date, ValueList<MasScore> Mas, int? PennFrequency, int? PennSeverity, int? PainNrs, decimal? OdiPercent);

/// <summary>A complication or drug event; <see cref="ImplantId"/> names the implant it concerns (null before any implant).</summary>
public sealed record PumpEventRecord(string Id, string PatientId, string? ImplantId, DateOnly Date, PumpComplication Kind, Severity Severity, AdverseEventOutcome Outcome);

/// <summary>A clinic's pump registry.</summary>
public sealed record PumpRegistry(
    ValueList<PumpPatientRecord> Patients,
    ValueList<TrialRecord> Trials,
    ValueList<ImplantRecord> Implants,
    ValueList<ProgrammeRecord> Programmes,
    ValueList<RefillRecord> Refills,
    ValueList<InterrogationRecord> Interrogations,
    ValueList<OutcomeRecord> Outcomes,
    ValueList<PumpEventRecord> Events);
