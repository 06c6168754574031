using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.Report;

/// <summary>A rate per 100 pump-years with its 95% confidence interval (Byar's approximation to the exact Poisson limits).</summary>
public sealed record RatePer100(int Events, decimal PumpYears, decimal Rate, decimal Lower, decimal Upper);

/// <summary>One step of a Kaplan–Meier curve: at <see cref="Months"/> the survival drops to <see cref="Survival"/>.</summary>
public sealed record SurvivalStep(decimal Months, int AtRisk, int Events, decimal Survival);

/// <summary>
/// The pump section of the study report, computed from pump records only, so the registry and FHIR converted from it
/// (read back with FhirToPump) give the very same numbers. Data cut-off = the latest date in the data.
/// </summary>
public sealed record PumpReport(
    int Patients,
    Domain.ValueList<(PumpIndication Indication, int Patients)> ByIndication,
    Domain.ValueList<(int Year, decimal MeanUgPerDay, int Pumps)> DailyDoseByYear,
    int RefillIntervals,
    decimal MeanRefillIntervalDays,
    decimal MedianRefillIntervalDays,
    RatePer100 Complications,
    decimal MasBefore,
    decimal MasAfter,
    Domain.ValueList<SurvivalStep> TimeToFirstComplication)
{
    public static PumpReport Compute(PumpRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var cutoff = LastDate(r);
        var byIndication = r.Patients.GroupBy(p => p.Indication).OrderBy(g => g.Key).Select(g => (g.Key, g.Count()));

        // Daily dose over time: the mean programmed dose on 1 July of each year over the pumps running then.
        var years = r.Programmes.Count == 0 ? [] : Enumerable.Range(r.Programmes.Min(p => p.Start.Year), cutoff.Year - r.Programmes.Min(p => p.Start.Year) + 1);
        var dose = years.Select(y =>
        {
            var day = new DateOnly(y, 7, 1);
            var running = r.Programmes.Where(p => p.Start <= day && (p.End is null ? day <= cutoff : day < p.End)).Select(p => p.MeanUgPerDay).ToArray();
            return (y, running.Length == 0 ? 0m : Math.Round(running.Average(), 1, MidpointRounding.AwayFromZero), running.Length);
        }).Where(x => x.Item3 > 0);

        var intervals = r.Refills.GroupBy(f => f.ImplantId, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(f => f.Date).Select(f => f.Date.DayNumber).Pairwise()).Order().ToArray();
        var pumpYears = r.Implants.Sum(i => (decimal)((i.Explant?.Date ?? cutoff).DayNumber - i.Date.DayNumber)) / 365.25m;
        var events = r.Events.Count(e => e.ImplantId is not null);

        return new PumpReport(
            r.Patients.Count,
            new(byIndication),
            new(dose),
            intervals.Length,
            intervals.Length == 0 ? 0m : Math.Round((decimal)intervals.Average(), 1, MidpointRounding.AwayFromZero),
            intervals.Length == 0 ? 0m : Median(intervals),
            Rate(events, pumpYears),
            MeanMas(r, before: true),
            MeanMas(r, before: false),
            new(KaplanMeier(r, cutoff)));
    }

    private static DateOnly LastDate(PumpRegistry r) =>
        new[] { r.Implants.Select(i => i.Explant?.Date ?? i.Date), r.Programmes.Select(p => p.End ?? p.Start), r.Refills.Select(f => f.Date), r.Interrogations.Select(q => q.Date), r.Outcomes.Select(o => o.Date), r.Events.Select(e => e.Date) }
            .SelectMany(d => d).DefaultIfEmpty(DateOnly.MinValue).Max();

    private static decimal Median(int[] sorted) => sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2m;

    /// <summary>Events per 100 pump-years; 95% limits by Byar's approximation (exact-Poisson quality for counts above a few).</summary>
    internal static RatePer100 Rate(int events, decimal pumpYears)
    {
        if (pumpYears <= 0)
        {
            return new RatePer100(events, 0m, 0m, 0m, 0m);
        }

        const double z = 1.959964;
        double x = events;
        var lower = events == 0 ? 0 : x * Math.Pow(1 - (1 / (9 * x)) - (z / (3 * Math.Sqrt(x))), 3);
        var upper = (x + 1) * Math.Pow(1 - (1 / (9 * (x + 1))) + (z / (3 * Math.Sqrt(x + 1))), 3);
        decimal Per100(double count) => Math.Round(100m * (decimal)count / pumpYears, 2, MidpointRounding.AwayFromZero);
        return new RatePer100(events, Math.Round(pumpYears, 1, MidpointRounding.AwayFromZero), Per100(x), Per100(lower), Per100(upper));
    }

    /// <summary>Mean MAS ordinal (1+ = 1.5) over all muscle groups and sides: at the last visit before the first implant, or the first visit a year or more after it.</summary>
    private static decimal MeanMas(PumpRegistry r, bool before)
    {
        var firstImplant = r.Implants.GroupBy(i => i.PatientId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(i => i.Date), StringComparer.Ordinal);
        var grades = r.Outcomes.Where(o => o.Mas.Count > 0 && firstImplant.ContainsKey(o.PatientId))
            .GroupBy(o => o.PatientId, StringComparer.Ordinal)
            .Select(g => before
                ? g.Where(o => o.Date < firstImplant[g.Key]).MaxBy(o => o.Date)
                : g.Where(o => o.Date.DayNumber - firstImplant[g.Key].DayNumber >= 365).MinBy(o => o.Date))
            .OfType<Domain.Pump.OutcomeRecord>()
            .SelectMany(o => o.Mas.Select(m => Ordinal(m.Grade))).ToArray();
        return grades.Length == 0 ? 0m : Math.Round(grades.Average(), 2, MidpointRounding.AwayFromZero);
    }

    private static decimal Ordinal(MasGrade g) => g switch
    {
        MasGrade.Grade0 => 0m,
        MasGrade.Grade1 => 1m,
        MasGrade.Grade1Plus => 1.5m,
        MasGrade.Grade2 => 2m,
        MasGrade.Grade3 => 3m,
        _ => 4m,
    };

    /// <summary>Kaplan–Meier of the time from a patient's first implant to the first device complication; censored at the last pump's end or the cut-off.</summary>
    private static List<SurvivalStep> KaplanMeier(PumpRegistry r, DateOnly cutoff)
    {
        var subjects = r.Implants.GroupBy(i => i.PatientId, StringComparer.Ordinal).Select(g =>
        {
            var start = g.Min(i => i.Date);
            var end = g.Any(i => i.Explant is null) ? cutoff : g.Max(i => i.Explant!.Date);
            var first = r.Events.Where(e => e.PatientId == g.Key && e.ImplantId is not null).Select(e => (DateOnly?)e.Date).Min();
            return first is { } d && d <= end ? (Days: d.DayNumber - start.DayNumber, Event: true) : (Days: end.DayNumber - start.DayNumber, Event: false);
        }).ToList();
        var steps = new List<SurvivalStep>();
        var survival = 1m;
        foreach (var time in subjects.Where(s => s.Event).Select(s => s.Days).Distinct().Order())
        {
            var atRisk = subjects.Count(s => s.Days >= time);
            var events = subjects.Count(s => s.Event && s.Days == time);
            survival *= 1m - ((decimal)events / atRisk);
            steps.Add(new SurvivalStep(Math.Round(time / 30.4375m, 1, MidpointRounding.AwayFromZero), atRisk, events, Math.Round(survival, 4, MidpointRounding.AwayFromZero)));
        }

        return steps;
    }
}

internal static class PairwiseExtensions
{
    /// <summary>Differences between consecutive day numbers.</summary>
    public static IEnumerable<int> Pairwise(this IEnumerable<int> days) => days.Zip(days.Skip(1), (a, b) => b - a);
}
