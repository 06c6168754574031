using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Exchange.Tests;

/// <summary>A pump registry folder goes down the same Prepare as a single-shot one: read → PumpRules → map → validate → delivery.</summary>
public sealed class PumpExchangeTests : IDisposable
{
    private static readonly DateTimeOffset Recorded = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<RegistryExchange> Exchange = new(() => RegistryExchange.CreateDefault());
    private readonly string _dir = Directory.CreateTempSubdirectory("pump-exchange-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_seed_0_pump_cohort_is_accepted_whole_with_no_error_and_no_warning()
    {
        var registry = PumpCohortGenerator.Generate(0);
        PumpRegistryCsv.WriteFolder(registry, _dir);
        Assert.Equal(RegistryLayout.PumpCsv, RegistryInput.Detect(_dir));

        var prepared = Exchange.Value.Prepare(_dir, Recorded);
        var resources = prepared.Resources.Count();
        TestContext.Current.TestOutputHelper?.WriteLine($"Pump seed-0 through the exchange: {prepared.Accepted.Count} records accepted, {prepared.Refused.Count} refused; {prepared.Errors} errors, {prepared.Warnings} warnings; {prepared.Summary}; {resources} resources");
        Assert.True(prepared.Diagnostics.Count == 0, string.Join(Environment.NewLine, prepared.Diagnostics.Take(20)));
        Assert.Equal(registry, prepared.Pump);
        Assert.Equal(registry.Patients.Count, prepared.Patients.Count);
        var records = registry.Patients.Count + registry.Trials.Count + registry.Implants.Count + registry.Programmes.Count + registry.Refills.Count
            + registry.Interrogations.Count + registry.Outcomes.Count + registry.Events.Count;
        Assert.Equal(records, prepared.Accepted.Count);
        Assert.Equal(registry.Patients.Count, prepared.TransactionBundles().Count());
    }

    [Fact]
    public void The_broken_pump_registry_refuses_exactly_the_bad_records_and_what_hangs_on_them()
    {
        var prepared = Exchange.Value.Prepare(Path.Combine(AppContext.BaseDirectory, "TestData", "broken-pump-registry"), Recorded);
        var located = prepared.Diagnostics.Select(d => (d.Code, Path.GetFileName(d.File), d.Line, d.Column, d.Record)).ToList();

        // The broken rows, each located at its field.
        Assert.Contains(("REGISTRY_FORMAT", "outcomes.csv", 3, 14, "outcome P001-O2"), located);
        Assert.Contains(("RULE_PUMP_DOSE_ABOVE_LABEL", "programmes.csv", 3, 75, "programme P001-I1-G02"), located);
        Assert.Contains(("RULE_PUMP_OVERFILL", "refills.csv", 3, 40, "refill P001-I1-R02"), located);
        Assert.Contains(("REGISTRY_REFERENCE_REFUSED", "implants.csv", 4, 9, "implant P002-I1"), located);

        // Warnings are reported and their records kept: an aspirated volume 3.7 mL above the expected one, and refills
        // later than the low-reservoir date the 2500 ug/d programme gives.
        Assert.Contains(("RULE_PUMP_VOLUME_DISCREPANCY", "refills.csv", 6, 36, "refill P001-I1-R05"), located);
        Assert.Contains("refill P001-I1-R05", prepared.Accepted);
        Assert.Equal(["refill P001-I1-R02", "refill P001-I1-R03", "refill P001-I1-R04", "refill P001-I1-R05"], prepared.Diagnostics.Where(d => d.Code == "RULE_PUMP_REFILL_LATE").Select(d => d.Record));

        // The implant of an unknown patient takes its 7 programmes, 11 refills, 6 interrogations and 2 events, each refused on its own row.
        var cascade = prepared.Diagnostics.Where(d => d.Code == "REGISTRY_REFERENCE_REFUSED").ToList();
        Assert.Equal(27, cascade.Count);
        Assert.All(cascade.Where(d => d.Record != "implant P002-I1"), d => Assert.Equal("implant_id", d.Path));
        Assert.Equal(30, prepared.Refused.Count);
        Assert.Equal(35, prepared.Diagnostics.Count);
        Assert.Equal(prepared.Refused.Count, prepared.Diagnostics.Where(d => d.IsError).Select(d => d.Record).Distinct().Count());
        Assert.DoesNotContain(prepared.Refused, r => r.Contains("P002-I2", StringComparison.Ordinal));
        Assert.Contains("patient P002", prepared.Accepted);
        Assert.Equal(2, prepared.Patients.Count);

        // Messages name the field and why, never what it held.
        Assert.DoesNotContain(prepared.Diagnostics, d => d.Message.Contains("2500", StringComparison.Ordinal) || d.Message.Contains("2018-13-10", StringComparison.Ordinal) || d.Message.Contains("P009", StringComparison.Ordinal));
    }
}
