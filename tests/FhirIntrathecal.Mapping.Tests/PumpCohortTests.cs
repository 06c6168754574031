using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>The synthetic pump cohort: realised rates against the configured parameters, rules, IG conformance, the committed seed 0.</summary>
public class PumpCohortTests
{
    private static readonly PumpCohortParameters Config = new();
    private static readonly Lazy<PumpRegistry> Seed0 = new(() => PumpCohortGenerator.Generate(0));
    private static readonly decimal[] PumpStrengths = [500m, 1000m, 2000m];

    private static void Print(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
    }

    /// <summary>|realised − configured| within 3 standard errors; prints both.</summary>
    private static void Within3Se(string what, double realised, double configured, double se)
    {
        Print($"Pump cohort seed 0: {what} realised {realised:0.####} vs configured {configured:0.####} (3 SE = {3 * se:0.####})");
        Assert.True(Math.Abs(realised - configured) <= 3 * se, $"{what}: realised {realised} vs configured {configured}, more than 3 SE ({se}) apart");
    }

    [Fact]
    public void Realised_rates_match_the_configured_parameters_within_sampling_error()
    {
        var r = Seed0.Value;
        var n = r.Patients.Count;
        Assert.Equal(Config.Patients, n);
        var male = r.Patients.Count(p => p.Sex == Sex.Male) / (double)n;
        Within3Se("male fraction", male, Config.MaleFraction, Math.Sqrt(Config.MaleFraction * (1 - Config.MaleFraction) / n));
        foreach (var (indication, fraction) in Config.Indications)
        {
            Within3Se($"{indication} fraction", r.Patients.Count(p => p.Indication == indication) / (double)n, fraction, Math.Sqrt(fraction * (1 - fraction) / n));
        }

        // Complications: a Poisson count over the pump-years observed.
        var pumpYears = r.Implants.Sum(i => ((i.Explant?.Date ?? Config.FollowUpEnd).DayNumber - i.Date.DayNumber) / 365.25);
        var rate = r.Events.Count / pumpYears;
        Within3Se("complications per pump-year", rate, Config.TotalComplicationsPerPumpYear, Math.Sqrt(Config.TotalComplicationsPerPumpYear / pumpYears));

        // Maintenance dose (the programme 30 days after the first implant): log-normal, so compare log medians
        // (SE of a median ≈ 1.2533 σ / √n); clipping at 25/1200 ug/d leaves the median alone.
        var maintenance = r.Programmes.Where(p => p.Id.EndsWith("-I1-G02", StringComparison.Ordinal)).Select(p => Math.Log((double)p.BasalUgPerDay)).Order().ToArray();
        var median = maintenance.Length % 2 == 1 ? maintenance[maintenance.Length / 2] : (maintenance[(maintenance.Length / 2) - 1] + maintenance[maintenance.Length / 2]) / 2;
        Within3Se("log median maintenance dose (ug/d)", median, Math.Log(Config.MedianDoseUgPerDay), 1.2533 * Config.DoseSigma / Math.Sqrt(maintenance.Length));
        Assert.All(r.Programmes, p => Assert.InRange(p.BasalUgPerDay, Config.MinDoseUgPerDay, Config.MaxDoseUgPerDay));

        // Refill interval: the brief's 57.3 ± 15.4 days. Intervals of one pump are correlated (same dose and concentration),
        // so the standard error counts pumps, not intervals.
        var intervals = r.Refills.GroupBy(f => f.ImplantId, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(f => f.Date).Select(f => f.Date.DayNumber).Zip(g.OrderBy(f => f.Date).Skip(1), (a, b) => (double)(b.Date.DayNumber - a))).ToArray();
        Within3Se("refill interval mean (days)", intervals.Average(), Config.TargetRefillIntervalDays, Config.RefillIntervalSdDays / Math.Sqrt(r.Implants.Count));
        Assert.All(r.Refills, f => Assert.Contains(f.ConcentrationUgPerMl, PumpStrengths));

        // Pump life: uniform 5–7 years. Only pumps implanted more than 7 years before the end of follow-up are all replaced
        // whatever their life; counting every replaced pump would favour short lives (the long ones are censored).
        var lives = r.Implants.Where(i => i.Date.AddDays((int)(365.25 * Config.PumpLifeMaxYears) + 1) < Config.FollowUpEnd)
            .Select(i => (i.Explant!.Date.DayNumber - i.Date.DayNumber) / 365.25).ToArray();
        Within3Se("pump life (years)", lives.Average(), (Config.PumpLifeMinYears + Config.PumpLifeMaxYears) / 2, (Config.PumpLifeMaxYears - Config.PumpLifeMinYears) / Math.Sqrt(12) / Math.Sqrt(lives.Length));
        Assert.All(r.Implants.Where(i => i.Explant is not null), i => Assert.Contains(r.Implants, j => j.PatientId == i.PatientId && j.Date == i.Explant!.Date));
    }

    [Fact]
    public void The_cohort_breaks_no_rule_and_is_deterministic()
    {
        var violations = PumpRules.Check(Seed0.Value);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Take(10)));
        Assert.Equal(Seed0.Value, PumpCohortGenerator.Generate(0));
        Assert.NotEqual(Seed0.Value, PumpCohortGenerator.Generate(1));
    }

    [Fact]
    public void The_cohort_converts_to_resources_that_conform_with_no_error_or_warning()
    {
        var options = new ExportOptions("examples/pump-cohort-seed0", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { References = ReferenceStyle.Relative };
        var resources = PumpToFhir.AllResources(Seed0.Value, options).Select(p => p.Resource).ToList();
        var validator = IntrathecalIg.CreateValidator();
        var problems = resources.AsParallel().SelectMany(x => validator.Validate(x).Issues
            .Where(i => i.Severity is not IssueSeverity.Information)
            .Select(i => $"{x.TypeInfo.Name}/{x.Id}: {i}")).ToList();
        Print($"Pump cohort seed 0: {resources.Count} resources, {problems.Count} errors or warnings");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
    }

    [Fact]
    public void The_committed_seed_0_registry_is_what_the_generator_writes()
    {
        var committed = Path.Combine(TestPaths.Root, "examples", "pump-cohort-seed0");
        var read = PumpRegistryCsv.ReadFolder(committed);
        Assert.Empty(read.Errors);
        Assert.Equal(Seed0.Value, read.Registry);
    }
}
