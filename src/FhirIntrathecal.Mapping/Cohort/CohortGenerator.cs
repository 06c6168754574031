using FhirIntrathecal.Domain;
using P = FhirIntrathecal.Mapping.Cohort.PublishedCohort;

namespace FhirIntrathecal.Mapping.Cohort;

/// <summary>
/// Deterministic synthetic registry reproducing the published cohort's marginals exactly
/// (see <see cref="PublishedCohort"/>); everything not published is drawn plausibly from the seed.
/// Each patient's administrations are at least 4 weeks apart, in date order, with doses titrated upwards.
/// </summary>
public static class CohortGenerator
{
    private static readonly DateOnly WindowStart = new(2003, 1, 6);
    private static readonly DateOnly WindowEnd = new(2012, 12, 17);
    private static readonly decimal[] Volumes = [1.5m, 2m, 2.5m, 3m];
    private static readonly LumbarLevel[] Levels = [LumbarLevel.L2L3, LumbarLevel.L3L4, LumbarLevel.L3L4, LumbarLevel.L4L5];

    public static Registry Generate(int seed)
    {
        var rng = new Random(seed);
        var sexes = Enumerable.Repeat(Sex.Male, P.Male).Concat(Enumerable.Repeat(Sex.Female, P.Female)).ToArray();
        rng.Shuffle(sexes);
        var counts = AdministrationCounts(rng, sexes);
        var lbp = PickLbpPatients(rng, counts);
        var doses = DealDoses(rng, counts);
        var ages = Ages(rng, sexes.Length);
        var outcomes = Outcomes(rng);
        var total = counts.Sum();
        var adverse = AdverseEvents(rng, total);

        var patients = new List<PatientRecord>();
        var admins = new List<AdministrationRecord>();
        var k = 0;
        for (var i = 0; i < sexes.Length; i++)
        {
            var id = $"P{i + 1:000}";
            var dates = Dates(rng, counts[i]);
            var birthYear = dates[0].Year - ages[i];
            var diagnosis = new Diagnosis(lbp.Contains(i) ? DiagnosisKind.ChronicLowBackPain : DiagnosisKind.FailedBackSurgerySyndrome, dates[0].Year - rng.Next(1, 8));
            patients.Add(new PatientRecord(id, sexes[i], birthYear, diagnosis));
            var weight = Weight(rng, doses[i]);
            for (var j = 0; j < counts[i]; j++, k++)
            {
                admins.Add(Administration(rng, $"{id}-A{j + 1:00}", id, dates[j], doses[i][j], weight, outcomes[k], adverse[k]));
            }
        }

        return new Registry(new(patients), new(admins));
    }

    /// <summary>Administrations per patient: skewed counts hitting the per-sex totals, one woman with 57.</summary>
    private static int[] AdministrationCounts(Random rng, Sex[] sexes)
    {
        var counts = new int[sexes.Length];
        var record = Array.IndexOf(sexes, Sex.Female);
        foreach (var (sex, target) in new[] { (Sex.Male, P.AdministrationsMale), (Sex.Female, P.AdministrationsFemale) })
        {
            var idx = Enumerable.Range(0, sexes.Length).Where(i => sexes[i] == sex && i != record).ToArray();
            foreach (var i in idx)
            {
                counts[i] = 1 + (int)Math.Min(24, -Math.Log(1 - rng.NextDouble()) * 3.5);
            }

            var sum = idx.Sum(i => counts[i]) + (sex == Sex.Female ? P.MaxAdministrations : 0);
            while (sum != target)
            {
                var i = idx[rng.Next(idx.Length)];
                var step = sum < target ? 1 : -1;
                if (counts[i] + step is >= 1 and <= 30)
                {
                    counts[i] += step;
                    sum += step;
                }
            }
        }

        counts[record] = P.MaxAdministrations;
        return counts;
    }

    /// <summary>Patients with chronic LBP: a subset whose administrations add up to exactly 93.</summary>
    private static HashSet<int> PickLbpPatients(Random rng, int[] counts)
    {
        var order = Enumerable.Range(0, counts.Length).Where(i => counts[i] < P.MaxAdministrations).ToArray();
        rng.Shuffle(order);
        var chosen = new HashSet<int>();
        var sum = 0;
        foreach (var i in order)
        {
            if (sum + counts[i] <= P.Lbp && (counts[i] <= 8 || sum + counts[i] == P.Lbp))
            {
                chosen.Add(i);
                sum += counts[i];
            }
        }

        return sum == P.Lbp ? chosen : throw new InvalidOperationException($"could not select LBP patients summing to {P.Lbp} (got {sum})");
    }

    /// <summary>The exact dose multiset, dealt at random and sorted per patient (start low, raise by effect).</summary>
    private static int[][] DealDoses(Random rng, int[] counts)
    {
        var all = Enumerable.Repeat(2, P.Dose2).Concat(Enumerable.Repeat(3, P.Dose3))
            .Concat(Enumerable.Repeat(4, P.Dose4)).Concat(Enumerable.Repeat(5, P.Dose5)).ToArray();
        rng.Shuffle(all);
        var result = new int[counts.Length][];
        var k = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            result[i] = all[k..(k + counts[i])];
            Array.Sort(result[i]);
            k += counts[i];
        }

        return result;
    }

    /// <summary>Ages at the first administration: 28 and 86 present, the rest around 52, sum fixed so the mean is exactly 52.</summary>
    private static int[] Ages(Random rng, int n)
    {
        var ages = new int[n];
        for (var i = 0; i < n; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            ages[i] = Math.Clamp((int)Math.Round(P.MeanAge + (11 * normal)), P.MinAge + 1, P.MaxAge - 1);
        }

        var youngest = rng.Next(n);
        var oldest = (youngest + 1 + rng.Next(n - 1)) % n;
        ages[youngest] = P.MinAge;
        ages[oldest] = P.MaxAge;
        var sum = ages.Sum();
        while (sum != P.MeanAge * n)
        {
            var i = rng.Next(n);
            var step = sum < P.MeanAge * n ? 1 : -1;
            if (i != youngest && i != oldest && ages[i] + step > P.MinAge && ages[i] + step < P.MaxAge)
            {
                ages[i] += step;
                sum += step;
            }
        }

        return ages;
    }

    /// <summary>The relief outcome multiset (see <see cref="PublishedCohort"/>), shuffled over all administrations.</summary>
    private static ReliefOutcome[] Outcomes(Random rng)
    {
        var list = new List<ReliefOutcome>();
        list.AddRange(Enumerable.Repeat(ReliefOutcome.Unknown, P.Unknown));
        list.AddRange(Enumerable.Repeat(ReliefOutcome.NoEffect, P.NoEffect));
        for (var w = 1; w <= 3; w++)
        {
            list.AddRange(Enumerable.Repeat(ReliefOutcome.ForWeeks(w), P.OneToThreeWeeksEach));
        }

        list.AddRange(Enumerable.Repeat(ReliefOutcome.ForWeeks(4), P.FourWeeks));
        list.AddRange(Enumerable.Repeat(ReliefOutcome.ForWeeks(5), P.FiveWeeks));
        var longer = new int[P.SixOrMoreWeeks];
        for (var i = 0; i < longer.Length; i++)
        {
            longer[i] = 6 + (int)Math.Min(40, -Math.Log(1 - rng.NextDouble()) * 10);
        }

        var sum = longer.Sum();
        while (sum != P.SixOrMoreWeeksSum)
        {
            var i = rng.Next(longer.Length);
            var step = sum < P.SixOrMoreWeeksSum ? 1 : -1;
            if (longer[i] + step is >= 6 and <= 52)
            {
                longer[i] += step;
                sum += step;
            }
        }

        list.AddRange(longer.Select(ReliefOutcome.ForWeeks));
        var array = list.ToArray();
        rng.Shuffle(array);
        return array;
    }

    /// <summary>Per administration, the adverse event kinds: exact counts on distinct random administrations per kind.</summary>
    private static List<AdverseEventKind>[] AdverseEvents(Random rng, int total)
    {
        var result = Enumerable.Range(0, total).Select(_ => new List<AdverseEventKind>()).ToArray();
        foreach (var (kind, count) in new[] { (AdverseEventKind.Drowsiness, P.Drowsiness), (AdverseEventKind.Headache, P.Headache), (AdverseEventKind.Nausea, P.Nausea), (AdverseEventKind.PainWorsening, P.PainWorsening) })
        {
            var idx = Enumerable.Range(0, total).ToArray();
            rng.Shuffle(idx);
            foreach (var i in idx.Take(count))
            {
                result[i].Add(kind);
            }
        }

        return result;
    }

    /// <summary>Dates at least 28 days apart inside the study window.</summary>
    private static DateOnly[] Dates(Random rng, int n)
    {
        var window = WindowEnd.DayNumber - WindowStart.DayNumber;
        var slack = window - ((n - 1) * DomainRules.MinIntervalDays);
        var perGap = n > 1 ? Math.Min(150, slack / (n - 1)) : 0;
        var gaps = Enumerable.Range(0, n - 1).Select(_ => DomainRules.MinIntervalDays + rng.Next(perGap + 1)).ToArray();
        var span = gaps.Sum();
        var date = WindowStart.AddDays(rng.Next(window - span + 1));
        var dates = new DateOnly[n];
        for (var i = 0; i < n; i++)
        {
            dates[i] = date;
            date = i < gaps.Length ? date.AddDays(gaps[i]) : date;
        }

        return dates;
    }

    /// <summary>A body weight keeping every dose of the patient within 0.02–0.06 mg/kg where possible.</summary>
    private static decimal Weight(Random rng, int[] doses)
    {
        var low = (int)Math.Ceiling(doses.Max() / DomainRules.MaxDosePerKg);
        var high = Math.Min(120, (int)Math.Floor(doses.Min() / DomainRules.MinDosePerKg));
        return low <= high ? rng.Next(Math.Max(low, 50), Math.Max(low, high) + 1) : rng.Next(60, 100);
    }

    private static AdministrationRecord Administration(Random rng, string id, string patientId, DateOnly date, int dose, decimal weight, ReliefOutcome outcome, List<AdverseEventKind> kinds)
    {
        var drowsy = kinds.Contains(AdverseEventKind.Drowsiness);
        var sedation = drowsy ? (rng.NextDouble() switch { < 0.7 => 1, < 0.97 => 2, _ => 3 }) : 0;
        var baseline = rng.Next(6, 11);
        var pain = outcome.Kind switch
        {
            ReliefKind.Unknown => new PainAssessment(baseline, null),
            ReliefKind.NoEffect => new PainAssessment(baseline, new FollowUp(date.AddDays(28), baseline - rng.Next(0, 2), false)),
            _ when outcome.Weeks < 4 => new PainAssessment(baseline, new FollowUp(date.AddDays(28), baseline - Math.Max(1, (int)Math.Floor(baseline * 0.3)), rng.Next(2) == 0)),
            _ => new PainAssessment(baseline, new FollowUp(date.AddDays(28), (int)Math.Floor(baseline * (0.5 - (rng.NextDouble() * 0.4))), rng.NextDouble() < 0.9)),
        };
        var events = kinds.Select(k => new AdverseEventRecord(k, rng.NextDouble() < 0.85 ? Severity.Mild : Severity.Moderate, AdverseEventOutcome.Resolved));
        var injectate = new Injectate(
            "Midazolam 1 mg/mL, preservative-free",
            $"LOT-{date.Year}-{rng.Next(1, 40):00}",
            rng.Next(3) == 0 ? Diluent.Saline09Percent : Diluent.Glucose5Percent,
            Volumes[rng.Next(Volumes.Length)]);
        return new AdministrationRecord(
            id, patientId, date, dose, injectate,
            NeedleGauge: date.Year < 2007 ? 22 : 25,
            Position: rng.NextDouble() < 0.8 ? PatientPosition.Recumbent : PatientPosition.Supine,
            Level: Levels[rng.Next(Levels.Length)],
            BedRestHours: 3m,
            Stage: TreatmentStage.IntrathecalMidazolam,
            WeightKg: weight,
            Sedation: new Sedation(sedation),
            Pain: pain,
            Outcome: outcome,
            Neurotoxicity: new NeurotoxicityScreen(false, false, false),
            AdverseEvents: new(events));
    }
}
