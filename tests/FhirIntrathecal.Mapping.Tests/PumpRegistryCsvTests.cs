using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Mapping.Tests;

public sealed class PumpRegistryCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pump-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Written_registry_reads_back_equal_and_breaks_no_rule()
    {
        var registry = PumpSamples.Registry();
        PumpRegistryCsv.WriteFolder(registry, _dir);
        Assert.True(PumpRegistryCsv.IsPumpRegistry(_dir));
        var read = PumpRegistryCsv.ReadFolder(_dir);
        Assert.Empty(read.Errors);
        Assert.Equal(registry, read.Registry);
        Assert.Empty(PumpRules.Check(read.Registry));
    }

    [Fact]
    public void A_bad_field_is_located_and_only_its_row_is_dropped()
    {
        PumpRegistryCsv.WriteFolder(PumpSamples.Registry(), _dir);
        var programmes = Path.Combine(_dir, "programmes.csv");
        var lines = File.ReadAllLines(programmes);
        lines[2] = lines[2].Replace("06:00=450", "6h=450", StringComparison.Ordinal);
        lines[3] = lines[3].Replace("420.5", "lots", StringComparison.Ordinal);
        File.WriteAllLines(programmes, lines);
        var refills = Path.Combine(_dir, "refills.csv");
        File.WriteAllText(refills, File.ReadAllText(refills).Replace("BAC-2019-08", string.Empty, StringComparison.Ordinal));

        var read = PumpRegistryCsv.ReadFolder(_dir);
        Assert.Equal(
        [
            (programmes, 3, "flex_steps"),
            (programmes, 4, "basal_ug_d"),
            (refills, 3, "lot"),
        ],
        read.Errors.Select(e => (e.File, e.Line, e.Column)));
        Assert.All(read.Errors, e => Assert.True(e.Position > 0, e.ToString()));
        Assert.Contains("HH:mm=rate", read.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("is not a number", read.Errors[1].Message);
        Assert.Equal("is required", read.Errors[2].Message);
        Assert.Equal(["P101-G1", "P102-G1"], read.Registry.Programmes.Select(p => p.Id));
        Assert.Equal(2, read.Registry.Refills.Count);
        Assert.Equal(3, read.Registry.Implants.Count);
    }

    [Fact]
    public void A_missing_implants_file_is_an_error_and_an_unknown_code_names_the_allowed_ones()
    {
        PumpRegistryCsv.WriteFolder(PumpSamples.Registry(), _dir);
        var events = Path.Combine(_dir, "events.csv");
        File.WriteAllText(events, File.ReadAllText(events).Replace("catheter-migration", "catheter-snapped", StringComparison.Ordinal));
        File.Delete(Path.Combine(_dir, "implants.csv"));

        var read = PumpRegistryCsv.ReadFolder(_dir);
        Assert.Contains(read.Errors, e => e.Column == "(file)" && e.File.EndsWith("implants.csv", StringComparison.Ordinal));
        var bad = Assert.Single(read.Errors, e => e.Column == "kind");
        Assert.Equal(2, bad.Line);
        Assert.Contains("is not one of catheter-kink|", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("catheter-snapped", bad.Message, StringComparison.Ordinal); // the value is never echoed
    }

    [Fact]
    public void An_explant_date_without_its_reason_is_a_located_error()
    {
        PumpRegistryCsv.WriteFolder(PumpSamples.Registry(), _dir);
        var implants = Path.Combine(_dir, "implants.csv");
        File.WriteAllText(implants, File.ReadAllText(implants).Replace(",replacement,", ",,", StringComparison.Ordinal));
        var read = PumpRegistryCsv.ReadFolder(_dir);
        var e = Assert.Single(read.Errors);
        Assert.Equal((implants, 2, "explant_date"), (e.File, e.Line, e.Column));
        Assert.Equal("explant_date, explant_reason and catheter_kept are given together or not at all", e.Message);
        Assert.Equal(["P101-I2", "P102-I1"], read.Registry.Implants.Select(i => i.Id));
    }
}
