using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;
using FhirIntrathecal.Mapping.Report;

namespace FhirIntrathecal.Mapping.Tests;

public class PumpReportTests
{
    private static readonly ExportOptions Options = new("pump-registry", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_report_from_the_registry_equals_the_report_from_its_converted_FHIR()
    {
        var registry = PumpCohortGenerator.Generate(0);
        var fromRegistry = PumpReport.Compute(registry);
        var fromFhir = PumpReport.Compute(FhirToPump.Read(ThroughJson.Read(PumpToFhir.TransactionBundles(registry, Options))));
        Assert.Equal(fromRegistry, fromFhir);
        var c = fromRegistry.Complications;
        var line = $"Pump report seed 0: {fromRegistry.Patients} patients; refill interval mean {fromRegistry.MeanRefillIntervalDays} / median {fromRegistry.MedianRefillIntervalDays} days over {fromRegistry.RefillIntervals}; "
            + $"complications {c.Rate} per 100 pump-years (95% CI {c.Lower}–{c.Upper}; {c.Events} in {c.PumpYears}); MAS {fromRegistry.MasBefore} → {fromRegistry.MasAfter}; "
            + $"first-complication-free at the last step {fromRegistry.TimeToFirstComplication[^1].Survival}; registry = FHIR: {fromRegistry == fromFhir}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
        Assert.InRange(c.Rate, c.Lower, c.Upper);
        Assert.True(fromRegistry.MasAfter < fromRegistry.MasBefore);
    }

    [Fact]
    public void Poisson_limits_match_the_exact_ones_for_10_events_in_100_pump_years()
    {
        var r = PumpReport.Rate(10, 100m);
        Assert.Equal((10m, 4.79m, 18.39m), (r.Rate, r.Lower, r.Upper));
    }

    [Fact]
    public void Kaplan_Meier_and_the_tables_on_the_hand_made_sample()
    {
        var report = PumpReport.Compute(PumpSamples.Registry());
        Assert.Equal(2, report.Patients);
        // P101's catheter migrates 312 days after the implant; P102 has no device complication (censored): 2 at risk, 1 event.
        var step = Assert.Single(report.TimeToFirstComplication);
        Assert.Equal(new SurvivalStep(10.3m, 2, 1, 0.5m), step);
        Assert.Equal(1, report.RefillIntervals);
        Assert.Equal(169m, report.MeanRefillIntervalDays);
        // Before: P101's 3 and 1+ (1.5); after: no visit a year or more after an implant, so 0.
        Assert.Equal(2.25m, report.MasBefore);
        Assert.Equal(0m, report.MasAfter);
    }
}
