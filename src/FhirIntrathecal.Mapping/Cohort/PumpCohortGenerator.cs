using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.Cohort;

/// <summary>
/// The configured parameters of the synthetic pump cohort (../shared/docs/pump-therapy-terminology.md §5): the adult
/// baclofen cohort of Feller 2021 (n = 126, 63% male, mean age 51; indications SCI 38%, TBI 15%, CP 13%, MS 11%,
/// stroke 10%, other 13%, generated as dystonia), maintenance dose log-normal around a median of 350 ug/d clipped to
/// 25–1200, complications 0.074 per pump-year (catheter 0.030, skin/infection 0.023, pump 0.009, drug events the rest
/// of the Slovenian rate split evenly: 0.012), pump life 5–7 years with elective replacement (catheter kept).
/// </summary>
public sealed record PumpCohortParameters
{
    public int Patients { get; init; } = 126;

    public double MaleFraction { get; init; } = 0.63;

    public double MeanAgeAtImplant { get; init; } = 51;

    public IReadOnlyList<(PumpIndication Indication, double Fraction)> Indications { get; init; } =
    [
        (PumpIndication.SpinalCordInjury, 0.38), (PumpIndication.TraumaticBrainInjury, 0.15), (PumpIndication.CerebralPalsy, 0.13),
        (PumpIndication.MultipleSclerosis, 0.11), (PumpIndication.Stroke, 0.10), (PumpIndication.Dystonia, 0.13),
    ];

    public double MedianDoseUgPerDay { get; init; } = 350;

    /// <summary>Log-normal sigma of the maintenance dose (half the patients between ≈ 250 and 490 ug/d).</summary>
    public double DoseSigma { get; init; } = 0.5;

    public decimal MinDoseUgPerDay { get; init; } = 25m;

    public decimal MaxDoseUgPerDay { get; init; } = 1200m;

    public IReadOnlyList<(PumpComplication[] Kinds, double PerPumpYear)> Complications { get; init; } =
    [
        ([PumpComplication.CatheterOcclusion, PumpComplication.CatheterFracture, PumpComplication.CatheterDisconnection, PumpComplication.CatheterKink, PumpComplication.CatheterMigration], 0.030),
        ([PumpComplication.DeviceInfection, PumpComplication.CsfLeak], 0.023),
        ([PumpComplication.MotorStall], 0.009),
        ([PumpComplication.Withdrawal, PumpComplication.Overdose], 0.012),
    ];

    public double PumpLifeMinYears { get; init; } = 5;

    public double PumpLifeMaxYears { get; init; } = 7;

    /// <summary>Longest time between refills (drug stability), days.</summary>
    public int MaxRefillIntervalDays { get; init; } = 180;

    /// <summary>
    /// The refill interval clinics aim for (the brief: 57.3 ± 15.4 days over 340 refills). Each pump is filled at the
    /// labelled concentration whose interval, (reservoir − alarm reserve) × concentration / dose less the days a refill
    /// comes before the alarm, is closest to it; the spread comes from the dose and the discrete concentrations.
    /// </summary>
    public double TargetRefillIntervalDays { get; init; } = 57.3;

    /// <summary>The published spread of refill intervals (SD, days), for the realised-vs-configured test.</summary>
    public double RefillIntervalSdDays { get; init; } = 15.4;

    /// <summary>A refill comes this many days before the low-reservoir alarm (uniform, inclusive lower, exclusive upper).</summary>
    public (int Min, int Max) RefillLeadDays { get; init; } = (3, 10);

    public DateOnly FirstImplant { get; init; } = new(2008, 1, 1);

    public DateOnly LastImplant { get; init; } = new(2020, 12, 31);

    public DateOnly FollowUpEnd { get; init; } = new(2025, 12, 31);

    public double TotalComplicationsPerPumpYear => Complications.Sum(c => c.PerPumpYear);
}

/// <summary>
/// Deterministic synthetic pump registry drawn from <see cref="PumpCohortParameters"/>: screening trial (50, then 75, then
/// 100 ug until a response), implant, titration from twice the effective trial dose to the maintenance dose, refills
/// scheduled before the low-reservoir day (<see cref="PumpRules.LowReservoirDay"/>), yearly interrogations with the
/// elective replacement indicator before the pump's end of life, replacement pumps, complications as a Poisson process
/// per pump-year, and MAS/Penn/ODI before and one year after the implant. The result breaks no <see cref="PumpRules"/> rule.
/// </summary>
public static class PumpCohortGenerator
{
    private static readonly MuscleGroup[] AssessedMuscles = [MuscleGroup.KneeExtensors, MuscleGroup.HipAdductors, MuscleGroup.AnklePlantarflexors];

    public static PumpRegistry Generate(int seed, PumpCohortParameters? parameters = null)
    {
        var p = parameters ?? new PumpCohortParameters();
        var rng = new Random(seed);
        var b = new Builder();
        for (var i = 1; i <= p.Patients; i++)
        {
            GeneratePatient(rng, p, b, $"P{i:000}");
        }

        return new PumpRegistry(new(b.Patients), new(b.Trials), new(b.Implants), new(b.Programmes), new(b.Refills), new(b.Interrogations), new(b.Outcomes), new(b.Events));
    }

    private static void GeneratePatient(Random rng, PumpCohortParameters p, Builder b, string id)
    {
        var implantDay = p.FirstImplant.AddDays(rng.Next(p.LastImplant.DayNumber - p.FirstImplant.DayNumber + 1));
        var age = (int)Math.Clamp(Math.Round(p.MeanAgeAtImplant + (Normal(rng) * 14)), 18, 85);
        var sex = rng.NextDouble() < p.MaleFraction ? Sex.Male : Sex.Female;
        var indication = Pick(rng, p.Indications);
        b.Patients.Add(new PumpPatientRecord(id, sex, implantDay.Year - age, indication, implantDay.Year - rng.Next(1, 10)));

        // Screening: 50 ug; without a response 75, then 100 ug, a day apart. Everyone generated responds by 100 ug.
        var trialDoses = rng.NextDouble() < 0.8 ? new[] { 50m } : rng.NextDouble() < 0.7 ? [50m, 75m] : [50m, 75m, 100m];
        var trialDay = implantDay.AddDays(-rng.Next(14, 60));
        for (var t = 0; t < trialDoses.Length; t++)
        {
            b.Trials.Add(new TrialRecord($"{id}-T{t + 1}", id, trialDay.AddDays(t), PumpDrug.Baclofen, trialDoses[t], t == trialDoses.Length - 1));
        }

        var maintenance = Math.Clamp(Math.Round((decimal)(p.MedianDoseUgPerDay * Math.Exp(p.DoseSigma * Normal(rng))) / 5m) * 5m, p.MinDoseUgPerDay, p.MaxDoseUgPerDay);
        var initial = Math.Min(2 * trialDoses[^1], maintenance);
        var catheter = new CatheterDevice("8709SC", $"CATH-{rng.Next(1000, 9999)}", rng.NextDouble() < 0.5 ? SpinalLevel.T10 : SpinalLevel.T6);
        Outcomes(rng, b, id, trialDay.AddDays(-1), implantDay.AddDays(365), p.FollowUpEnd);

        var start = implantDay;
        var pumpNo = 1;
        var rates = new List<(DateOnly From, decimal Rate)> { (implantDay, initial), (implantDay.AddDays(30), maintenance) };
        while (start < p.FollowUpEnd)
        {
            var life = (int)Math.Round(365.25 * (p.PumpLifeMinYears + (rng.NextDouble() * (p.PumpLifeMaxYears - p.PumpLifeMinYears))));
            var end = start.AddDays(life);
            var replaced = end < p.FollowUpEnd;
            var implantId = $"{id}-I{pumpNo}";
            var reservoir = rng.NextDouble() < 0.8 ? 40m : 20m;
            var concentration = Concentration(p, reservoir, rates[^1].Rate);
            var serial = $"NGP{rng.Next(100000, 999999)}H";
            var pump = new PumpDevice("00643169007222", $"(01)00643169007222(21){serial}", serial, $"LOT{rng.Next(1000, 9999)}", reservoir == 40m ? "8637-40" : "8637-20", "Medtronic", reservoir);
            b.Implants.Add(new ImplantRecord(implantId, id, start, pump, catheter, replaced ? new Explant(end, ExplantReason.Replacement, true) : null));
            var until = replaced ? end : p.FollowUpEnd;
            var programmes = Programmes(rng, b, implantId, start, until, replaced, concentration, rates);
            Refills(rng, p, b, implantId, start, until, reservoir, concentration, programmes);
            Interrogations(rng, b, implantId, start, until, replaced);
            Complications(rng, p, b, id, implantId, start, until);
            // After a replacement the new pump continues the last rate.
            rates = [(end, programmes[^1].BasalUgPerDay)];
            start = end;
            pumpNo++;
        }
    }

    /// <summary>One programme per rate in force, plus a yearly ±10% adjustment; the last one runs to the explant (or stays open).</summary>
    private static List<ProgrammeRecord> Programmes(Random rng, Builder b, string implantId, DateOnly from, DateOnly until, bool closed, decimal concentration, List<(DateOnly From, decimal Rate)> rates)
    {
        var changes = rates.Where(r => r.From < until).ToList();
        for (var day = from.AddDays(365); day < until; day = day.AddDays(365))
        {
            changes.Add((day, Math.Clamp(Math.Round(changes[^1].Rate * (decimal)(0.9 + (rng.NextDouble() * 0.2)) / 5m) * 5m, 25m, 1200m)));
        }

        var list = new List<ProgrammeRecord>();
        for (var k = 0; k < changes.Count; k++)
        {
            DateOnly? end = k + 1 < changes.Count ? changes[k + 1].From : closed ? until : null;
            list.Add(new ProgrammeRecord($"{implantId}-G{k + 1:00}", implantId, changes[k].From, end, PumpDrug.Baclofen, concentration, InfusionMode.SimpleContinuous, changes[k].Rate, new([]), null));
        }

        b.Programmes.AddRange(list);
        return list;
    }

    /// <summary>A fill at the implant, then a refill a few days before each low-reservoir day (at most every <see cref="PumpCohortParameters.MaxRefillIntervalDays"/>).</summary>
    private static void Refills(Random rng, PumpCohortParameters p, Builder b, string implantId, DateOnly from, DateOnly until, decimal reservoir, decimal concentration, List<ProgrammeRecord> programmes)
    {
        RefillRecord? previous = null;
        var day = from;
        for (var k = 1; day < until; k++)
        {
            var expected = previous is null ? 0m : Residual(previous, programmes, day);
            var aspirated = previous is null ? 0m : Math.Max(0m, Math.Round(expected + (decimal)(Normal(rng) * 0.3), 1));
            var refill = new RefillRecord($"{implantId}-R{k:00}", implantId, day, expected, aspirated, reservoir, PumpDrug.Baclofen, concentration, $"BAC-{day:yyyyMM}", null);
            var alarm = PumpRules.LowReservoirDay(refill, programmes, day.AddDays(p.MaxRefillIntervalDays)) ?? day.AddDays(p.MaxRefillIntervalDays);
            refill = refill with { LowReservoirDate = alarm };
            b.Refills.Add(refill);
            previous = refill;
            day = DateOnly.FromDayNumber(Math.Max(day.DayNumber + 7, alarm.AddDays(-rng.Next(p.RefillLeadDays.Min, p.RefillLeadDays.Max)).DayNumber));
        }
    }

    /// <summary>The labelled baclofen concentration whose refill interval at <paramref name="rate"/> is closest to the target.</summary>
    private static decimal Concentration(PumpCohortParameters p, decimal reservoir, decimal rate)
    {
        var lead = (p.RefillLeadDays.Min + p.RefillLeadDays.Max - 1) / 2.0;
        double Interval(decimal c) => Math.Min(p.MaxRefillIntervalDays, (double)((reservoir - PumpDrugs.LowReservoirAlarmMl) * c / rate)) - lead;
        // 50 ug/mL is the screening strength; pumps are filled at 500, 1000 or 2000 ug/mL.
        return PumpDrugs.Label(PumpDrug.Baclofen).Concentrations.Where(c => c >= 500m).MinBy(c => Math.Abs(Interval(c) - p.TargetRefillIntervalDays));
    }

    /// <summary>What the pump says is left on <paramref name="day"/>: the fill less the programmed delivery since.</summary>
    private static decimal Residual(RefillRecord previous, List<ProgrammeRecord> programmes, DateOnly day)
    {
        var delivered = 0m;
        for (var d = previous.Date; d < day; d = d.AddDays(1))
        {
            delivered += programmes.LastOrDefault(x => x.Start <= d)?.MeanUgPerDay ?? 0m;
        }

        return Math.Max(0m, Math.Round(previous.FillMl - (delivered / previous.ConcentrationUgPerMl), 1));
    }

    private static void Interrogations(Random rng, Builder b, string implantId, DateOnly from, DateOnly until, bool replaced)
    {
        var k = 1;
        for (var day = from.AddDays(180); day < until; day = day.AddDays(365), k++)
        {
            var eri = replaced && until.DayNumber - day.DayNumber <= 90;
            var alarms = eri ? new[] { PumpAlarm.ElectiveReplacement } : rng.NextDouble() < 0.1 ? [PumpAlarm.LowReservoir] : [];
            b.Interrogations.Add(new InterrogationRecord($"{implantId}-Q{k:00}", implantId, day, false, new(alarms), eri, null));
        }

        if (replaced)
        {
            b.Interrogations.Add(new InterrogationRecord($"{implantId}-Q{k:00}", implantId, until.AddDays(-60), false, new([PumpAlarm.ElectiveReplacement]), true, null));
        }
    }

    /// <summary>Each complication group is a Poisson process over the pump's time in the patient.</summary>
    private static void Complications(Random rng, PumpCohortParameters p, Builder b, string patientId, string implantId, DateOnly from, DateOnly until)
    {
        var years = (until.DayNumber - from.DayNumber) / 365.25;
        foreach (var (kinds, rate) in p.Complications)
        {
            var t = Exponential(rng, rate);
            while (t < years)
            {
                var kind = kinds[rng.Next(kinds.Length)];
                var severity = rng.NextDouble() < 0.5 ? Severity.Moderate : rng.NextDouble() < 0.5 ? Severity.Mild : Severity.Severe;
                b.Events.Add(new PumpEventRecord($"{implantId}-E{b.Events.Count(e => e.ImplantId == implantId) + 1:00}", patientId, implantId, from.AddDays((int)(t * 365.25)), kind, severity, AdverseEventOutcome.Resolved));
                t += Exponential(rng, rate);
            }
        }
    }

    /// <summary>MAS (three muscle groups, both sides), Penn and ODI before the implant and a year after it.</summary>
    private static void Outcomes(Random rng, Builder b, string id, DateOnly before, DateOnly after, DateOnly end)
    {
        MasScore[] Mas(MasGrade[] grades) => AssessedMuscles.SelectMany(m => new[] { Side.Left, Side.Right }.Select(s => new MasScore(m, s, grades[rng.Next(grades.Length)]))).ToArray();
        b.Outcomes.Add(new OutcomeRecord($"{id}-O1", id, before, new(Mas([MasGrade.Grade3, MasGrade.Grade4, MasGrade.Grade4])), rng.Next(2, 5), rng.Next(2, 4), null, Math.Round((decimal)(50 + (Normal(rng) * 10)))));
        if (after < end)
        {
            b.Outcomes.Add(new OutcomeRecord($"{id}-O2", id, after, new(Mas([MasGrade.Grade1, MasGrade.Grade1Plus, MasGrade.Grade2, MasGrade.Grade2])), rng.Next(0, 2), null, null, Math.Round((decimal)(35 + (Normal(rng) * 10)))));
        }
    }

    private static T Pick<T>(Random rng, IReadOnlyList<(T Value, double Fraction)> table)
    {
        var u = rng.NextDouble() * table.Sum(t => t.Fraction);
        foreach (var (value, fraction) in table)
        {
            if ((u -= fraction) < 0)
            {
                return value;
            }
        }

        return table[^1].Value;
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double Exponential(Random rng, double rate) => -Math.Log(1 - rng.NextDouble()) / rate;

    private sealed class Builder
    {
        public List<PumpPatientRecord> Patients { get; } = [];

        public List<TrialRecord> Trials { get; } = [];

        public List<ImplantRecord> Implants { get; } = [];

        public List<ProgrammeRecord> Programmes { get; } = [];

        public List<RefillRecord> Refills { get; } = [];

        public List<InterrogationRecord> Interrogations { get; } = [];

        public List<OutcomeRecord> Outcomes { get; } = [];

        public List<PumpEventRecord> Events { get; } = [];
    }
}
