using System.Globalization;

namespace FhirIntrathecal.Domain.Pump;

/// <summary>
/// The clinical rules of intrathecal pump therapy. Each violation names its record (<see cref="RuleViolation.RecordId"/>,
/// also the start of the message) and a stable code: dose above the labelled maximum (error), a concentration the drug
/// does not come in (error), fill above the reservoir (error), programming or refilling a pump that is not implanted
/// (error), a refill later than the computed low-reservoir date (warning), aspirated vs expected residual volume
/// differing by more than <see cref="PumpDrugs.VolumeDiscrepancyMl"/> (warning), baclofen stopped without a taper (warning).
/// </summary>
public static class PumpRules
{
    public const decimal MaxReservoirMl = 40m;

    public static IReadOnlyList<RuleViolation> Check(PumpRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var v = new List<RuleViolation>();
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in registry.Patients.Where(p => !patients.Add(p.RegistryId)))
        {
            v.Add(Error("pump-duplicate-patient", p.RegistryId, "appears twice"));
        }

        foreach (var t in registry.Trials)
        {
            CheckPatient(v, patients, t.Id, t.PatientId);
            if (t.Drug == PumpDrug.Baclofen && t.DoseUg > PumpDrugs.MaxBaclofenTrialUg)
            {
                v.Add(Error("pump-trial-dose", t.Id, $"baclofen screening bolus {Num(t.DoseUg)} ug is above {Num(PumpDrugs.MaxBaclofenTrialUg)} ug"));
            }
        }

        var implants = new Dictionary<string, ImplantRecord>(StringComparer.Ordinal);
        foreach (var i in registry.Implants)
        {
            CheckPatient(v, patients, i.Id, i.PatientId);
            if (!implants.TryAdd(i.Id, i))
            {
                v.Add(Error("pump-duplicate-implant", i.Id, "appears twice"));
            }

            v.AddRange(CheckImplant(i));
        }

        var programmes = registry.Programmes.ToLookup(p => p.ImplantId, StringComparer.Ordinal);
        foreach (var p in registry.Programmes)
        {
            v.AddRange(CheckProgramme(p, Implant(v, implants, p.Id, p.ImplantId)));
        }

        foreach (var group in registry.Refills.GroupBy(r => r.ImplantId, StringComparer.Ordinal))
        {
            RefillRecord? previous = null;
            foreach (var r in group.OrderBy(r => r.Date))
            {
                v.AddRange(CheckRefill(r, previous, Implant(v, implants, r.Id, r.ImplantId), programmes[r.ImplantId]));
                previous = r;
            }
        }

        foreach (var q in registry.Interrogations)
        {
            if (Implant(v, implants, q.Id, q.ImplantId) is { } i && q.Reprogrammed && !i.ImplantedOn(q.Date))
            {
                v.Add(Error("pump-not-implanted", q.Id, $"reprogramming on {Day(q.Date)} but pump {i.Id} is not implanted then"));
            }
        }

        foreach (var o in registry.Outcomes)
        {
            CheckPatient(v, patients, o.Id, o.PatientId);
            v.AddRange(CheckOutcome(o));
        }

        foreach (var e in registry.Events)
        {
            CheckPatient(v, patients, e.Id, e.PatientId);
            if (e.ImplantId is { } id)
            {
                Implant(v, implants, e.Id, id);
            }
        }

        v.AddRange(registry.Implants.SelectMany(i => CheckBaclofenStops(i, programmes[i.Id], registry.Implants)));
        return v;
    }

    private static IEnumerable<RuleViolation> CheckImplant(ImplantRecord i)
    {
        if (i.Pump.ReservoirMl is <= 0 or > MaxReservoirMl)
        {
            yield return Error("pump-reservoir", i.Id, $"reservoir {Num(i.Pump.ReservoirMl)} mL must be more than 0 and at most {Num(MaxReservoirMl)} mL");
        }

        if (i.Explant is { } x && x.Date < i.Date)
        {
            yield return Error("pump-date-order", i.Id, $"explant {Day(x.Date)} is before the implant {Day(i.Date)}");
        }
    }

    /// <summary>Checks one programme against its drug's label and against the implant it runs on (null = unknown implant).</summary>
    public static IEnumerable<RuleViolation> CheckProgramme(ProgrammeRecord p, ImplantRecord? implant)
    {
        ArgumentNullException.ThrowIfNull(p);
        var label = PumpDrugs.Label(p.Drug);
        if (label.MaxUgPerDay is { } max && p.Rates.Max() > max)
        {
            yield return Error("pump-dose-above-label", p.Id, $"{Drug(p.Drug)} rate {Num(p.Rates.Max())} ug/d is above the labelled maximum {Num(max)} ug/d");
        }

        if (p.Mode != InfusionMode.Stopped && p.Rates.Min() < label.MinUgPerDay)
        {
            yield return Warning("pump-dose-below-label", p.Id, $"{Drug(p.Drug)} rate {Num(p.Rates.Min())} ug/d is below the labelled minimum {Num(label.MinUgPerDay)} ug/d");
        }

        if (label.Concentrations.Count > 0 && !label.Concentrations.Contains(p.ConcentrationUgPerMl))
        {
            yield return Error("pump-concentration", p.Id, $"{Drug(p.Drug)} does not come at {Num(p.ConcentrationUgPerMl)} ug/mL ({string.Join(", ", label.Concentrations.Select(Num))})");
        }

        if (p.End is { } end && end < p.Start)
        {
            yield return Error("pump-date-order", p.Id, $"end {Day(end)} is before the start {Day(p.Start)}");
        }

        if (implant is not null && !implant.ImplantedOn(p.Start))
        {
            yield return Error("pump-not-implanted", p.Id, $"programmed on {Day(p.Start)} but pump {implant.Id} is not implanted then");
        }
    }

    /// <summary>Checks one refill, against the previous refill of the same pump and the programmes that ran in between.</summary>
    public static IEnumerable<RuleViolation> CheckRefill(RefillRecord r, RefillRecord? previous, ImplantRecord? implant, IEnumerable<ProgrammeRecord> programmes)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (implant is not null && r.FillMl > implant.Pump.ReservoirMl)
        {
            yield return Error("pump-overfill", r.Id, $"fill {Num(r.FillMl)} mL is more than the {Num(implant.Pump.ReservoirMl)} mL reservoir of pump {implant.Id}");
        }

        if (implant is not null && !implant.ImplantedOn(r.Date))
        {
            yield return Error("pump-not-implanted", r.Id, $"refill on {Day(r.Date)} but pump {implant.Id} is not implanted then");
        }

        if (r.ExpectedMl < 0 || r.AspiratedMl < 0 || r.FillMl <= 0)
        {
            yield return Error("pump-volume", r.Id, "volumes are not negative and the fill is more than 0 mL");
        }

        var label = PumpDrugs.Label(r.Drug);
        if (label.Concentrations.Count > 0 && !label.Concentrations.Contains(r.ConcentrationUgPerMl))
        {
            yield return Error("pump-concentration", r.Id, $"{Drug(r.Drug)} does not come at {Num(r.ConcentrationUgPerMl)} ug/mL ({string.Join(", ", label.Concentrations.Select(Num))})");
        }

        var discrepancy = r.AspiratedMl - r.ExpectedMl;
        if (Math.Abs(discrepancy) > PumpDrugs.VolumeDiscrepancyMl)
        {
            var sign = discrepancy > 0 ? "more" : "less";
            var cause = discrepancy > 0 ? "under-delivery: stalled motor or blocked catheter?" : "over-delivery or a previous fill into the pocket?";
            yield return Warning("pump-volume-discrepancy", r.Id, $"aspirated {Num(r.AspiratedMl)} mL is {Num(Math.Abs(discrepancy))} mL {sign} than the expected {Num(r.ExpectedMl)} mL (threshold {Num(PumpDrugs.VolumeDiscrepancyMl)} mL; {cause})");
        }

        if (previous is not null && LowReservoirDay(previous, programmes, r.Date) is { } alarm && r.Date > alarm)
        {
            yield return Warning("pump-refill-late", r.Id, $"refill on {Day(r.Date)} is {r.Date.DayNumber - alarm.DayNumber} days after the low-reservoir date {Day(alarm)} computed from refill {previous.Id} ({Num(previous.FillMl)} mL at {Num(previous.ConcentrationUgPerMl)} ug/mL, alarm at {Num(PumpDrugs.LowReservoirAlarmMl)} mL)");
        }
    }

    /// <summary>
    /// The day the reservoir filled at <paramref name="refill"/> reaches the low-reservoir alarm, following day by day the
    /// programme in force (bounded by <paramref name="until"/>); null if it does not by then.
    /// </summary>
    public static DateOnly? LowReservoirDay(RefillRecord refill, IEnumerable<ProgrammeRecord> programmes, DateOnly until)
    {
        ArgumentNullException.ThrowIfNull(refill);
        var ordered = programmes.OrderBy(p => p.Start).ToArray();
        var left = refill.FillMl - PumpDrugs.LowReservoirAlarmMl;
        for (var day = refill.Date; day <= until && refill.ConcentrationUgPerMl > 0; day = day.AddDays(1))
        {
            if (left <= 0)
            {
                return day;
            }

            var rate = ordered.LastOrDefault(p => p.Start <= day && (p.End is null || day < p.End))?.MeanUgPerDay ?? 0m;
            left -= rate / refill.ConcentrationUgPerMl;
        }

        return null;
    }

    private static IEnumerable<RuleViolation> CheckOutcome(OutcomeRecord o)
    {
        if (o.PennFrequency is < 0 or > 4)
        {
            yield return Error("pump-score-range", o.Id, $"Penn spasm frequency {o.PennFrequency} is not on the 0–4 scale");
        }

        if (o.PennSeverity is { } s && (s is < 1 or > 3 || o.PennFrequency is null or 0))
        {
            yield return Error("pump-score-range", o.Id, $"Penn severity {s} must be 1–3 and given only when spasms occur");
        }

        if (o.PainNrs is < 0 or > 10)
        {
            yield return Error("pump-score-range", o.Id, $"pain NRS {o.PainNrs} is outside 0–10");
        }

        if (o.OdiPercent is < 0 or > 100)
        {
            yield return Error("pump-score-range", o.Id, $"Oswestry {Num(o.OdiPercent.Value)}% is outside 0–100%");
        }
    }

    /// <summary>
    /// Baclofen stops: a Stopped programme, or an explant that no replacement pump follows within a day, while baclofen
    /// ran. Tapered = a programme within <see cref="PumpDrugs.TaperWindowDays"/> days before the stop lowered the rate.
    /// </summary>
    private static IEnumerable<RuleViolation> CheckBaclofenStops(ImplantRecord implant, IEnumerable<ProgrammeRecord> programmes, IEnumerable<ImplantRecord> implants)
    {
        var ordered = programmes.OrderBy(p => p.Start).ToArray();
        for (var k = 1; k < ordered.Length; k++)
        {
            if (ordered[k].Mode == InfusionMode.Stopped && ordered[k - 1] is { Drug: PumpDrug.Baclofen, Mode: not InfusionMode.Stopped } && !Tapered(ordered, k - 1, ordered[k].Start))
            {
                yield return Warning("pump-abrupt-stop", ordered[k].Id, $"baclofen stopped on {Day(ordered[k].Start)} from {Num(ordered[k - 1].MeanUgPerDay)} ug/d without a taper in the {PumpDrugs.TaperWindowDays} days before (withdrawal risk)");
            }
        }

        if (implant.Explant is { Reason: not ExplantReason.Replacement and not ExplantReason.Death } x
            && ordered.LastOrDefault(p => p.Start < x.Date) is { Drug: PumpDrug.Baclofen, Mode: not InfusionMode.Stopped } last
            && !implants.Any(o => o.PatientId == implant.PatientId && o.Id != implant.Id && Math.Abs(o.Date.DayNumber - x.Date.DayNumber) <= 1)
            && !Tapered(ordered, Array.IndexOf(ordered, last), x.Date))
        {
            yield return Warning("pump-abrupt-stop", implant.Id, $"pump explanted on {Day(x.Date)} while baclofen ran at {Num(last.MeanUgPerDay)} ug/d, without a taper in the {PumpDrugs.TaperWindowDays} days before (withdrawal risk)");
        }
    }

    private static bool Tapered(ProgrammeRecord[] ordered, int last, DateOnly stop) =>
        last > 0 && stop.DayNumber - ordered[last].Start.DayNumber <= PumpDrugs.TaperWindowDays && ordered[last].MeanUgPerDay < ordered[last - 1].MeanUgPerDay;

    private static void CheckPatient(List<RuleViolation> v, HashSet<string> patients, string recordId, string patientId)
    {
        if (!patients.Contains(patientId))
        {
            v.Add(Error("pump-unknown-patient", recordId, $"refers to unknown patient {patientId}"));
        }
    }

    private static ImplantRecord? Implant(List<RuleViolation> v, Dictionary<string, ImplantRecord> implants, string recordId, string implantId)
    {
        if (implants.TryGetValue(implantId, out var i))
        {
            return i;
        }

        v.Add(Error("pump-unknown-implant", recordId, $"refers to unknown implant {implantId}"));
        return null;
    }

    private static string Drug(PumpDrug d) => d.ToString().ToLowerInvariant();

    private static string Num(decimal d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static RuleViolation Error(string code, string id, string message) => new(RuleSeverity.Error, code, id, $"{id}: {message}");

    private static RuleViolation Warning(string code, string id, string message) => new(RuleSeverity.Warning, code, id, $"{id}: {message}");
}
