using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.Report;

/// <summary>Adverse-event rates, in percent of administrations.</summary>
public sealed record AdverseEventRates(int Drowsiness, int Headache, int Nausea, int PainWorsening);

/// <summary>
/// The study's table recomputed from domain records.
/// Definitions (they match the published figures):
/// <list type="bullet">
/// <item>Every percentage has the number of administrations as denominator and is rounded half away from zero to a whole percent.</item>
/// <item>An adverse-event percentage counts administrations with at least one event of that kind.</item>
/// <item>Relief mean and median are over administrations with a known outcome (no effect counts as 0 weeks; unknown is left out), rounded to one decimal.</item>
/// <item><c>reliefAtLeast4WeeksPct</c> counts known durations of 4 weeks or more.</item>
/// <item>lbp/fbss count administrations, by the patient's diagnosis; age is the age at the first administration.</item>
/// </list>
/// </summary>
public sealed record StudyReport(
    int Patients,
    int Male,
    int Female,
    int Administrations,
    int AdministrationsMale,
    int AdministrationsFemale,
    int Lbp,
    int Fbss,
    IReadOnlyDictionary<string, int> Doses,
    double ReliefMeanWeeks,
    double ReliefMedianWeeks,
    int ReliefAtLeast4WeeksPct,
    int NoEffectPct,
    int UnknownPct,
    AdverseEventRates AdverseEventPct,
    double AgeMean,
    int AgeMin,
    int AgeMax,
    int MaxAdministrationsPerPatient,
    IReadOnlyDictionary<int, int> ReliefWeeksHistogram)
{
    public static StudyReport Compute(Registry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var patients = registry.Patients.ToDictionary(p => p.RegistryId, StringComparer.Ordinal);
        var admins = registry.Administrations;
        int n = admins.Count;
        int Pct(int count) => n == 0 ? 0 : (int)Math.Round(100m * count / n, 0, MidpointRounding.AwayFromZero);
        int CountAe(AdverseEventKind kind) => admins.Count(a => a.AdverseEvents.Any(e => e.Kind == kind));

        var known = admins.Select(a => a.Outcome.KnownWeeks).OfType<int>().Order().ToArray();
        var firstDates = admins.GroupBy(a => a.PatientId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(a => a.Date), StringComparer.Ordinal);
        var ages = registry.Patients.Where(p => firstDates.ContainsKey(p.RegistryId))
            .Select(p => firstDates[p.RegistryId].Year - p.BirthYear).ToArray();
        var doses = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0 };
        foreach (var a in admins)
        {
            var key = a.DoseMg.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            doses[key] = doses.GetValueOrDefault(key) + 1;
        }

        Sex SexOf(AdministrationRecord a) => patients[a.PatientId].Sex;
        return new StudyReport(
            Patients: patients.Count,
            Male: registry.Patients.Count(p => p.Sex == Sex.Male),
            Female: registry.Patients.Count(p => p.Sex == Sex.Female),
            Administrations: n,
            AdministrationsMale: admins.Count(a => SexOf(a) == Sex.Male),
            AdministrationsFemale: admins.Count(a => SexOf(a) == Sex.Female),
            Lbp: admins.Count(a => patients[a.PatientId].Diagnosis.Kind == DiagnosisKind.ChronicLowBackPain),
            Fbss: admins.Count(a => patients[a.PatientId].Diagnosis.Kind == DiagnosisKind.FailedBackSurgerySyndrome),
            Doses: doses,
            ReliefMeanWeeks: known.Length == 0 ? 0 : Math.Round(known.Average(), 1, MidpointRounding.AwayFromZero),
            ReliefMedianWeeks: Math.Round(Median(known), 1, MidpointRounding.AwayFromZero),
            ReliefAtLeast4WeeksPct: Pct(known.Count(w => w >= 4)),
            NoEffectPct: Pct(admins.Count(a => a.Outcome.Kind == ReliefKind.NoEffect)),
            UnknownPct: Pct(admins.Count(a => a.Outcome.Kind == ReliefKind.Unknown)),
            AdverseEventPct: new AdverseEventRates(
                Pct(CountAe(AdverseEventKind.Drowsiness)),
                Pct(CountAe(AdverseEventKind.Headache)),
                Pct(CountAe(AdverseEventKind.Nausea)),
                Pct(CountAe(AdverseEventKind.PainWorsening))),
            AgeMean: ages.Length == 0 ? 0 : Math.Round(ages.Average(), 1, MidpointRounding.AwayFromZero),
            AgeMin: ages.Length == 0 ? 0 : ages.Min(),
            AgeMax: ages.Length == 0 ? 0 : ages.Max(),
            MaxAdministrationsPerPatient: firstDates.Count == 0 ? 0 : admins.GroupBy(a => a.PatientId, StringComparer.Ordinal).Max(g => g.Count()),
            ReliefWeeksHistogram: known.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static double Median(int[] sorted) => sorted.Length switch
    {
        0 => 0,
        _ when sorted.Length % 2 == 1 => sorted[sorted.Length / 2],
        _ => (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0,
    };
}
