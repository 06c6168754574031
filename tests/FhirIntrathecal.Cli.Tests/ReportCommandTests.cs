using FhirIntrathecal.Domain;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Cli.Tests;

/// <summary><c>report</c> cannot mislead: no table of zeros, other doses labelled, duplicates located.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_folder_with_no_registry_and_no_fhir_data_is_exit_1_with_a_located_reason_and_no_table()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "pull")).FullName;

        var result = await CliRunner.RunAsync("report", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{empty}:0:0: error SOURCE_EMPTY", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("|", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dose_outside_the_published_strata_is_its_own_labelled_row()
    {
        var registry = CohortGenerator.Generate(0);
        var first = registry.Administrations[0];
        var changed = new Registry(registry.Patients, new([first with { DoseMg = 2.5m }, .. registry.Administrations.Skip(1)]));
        var folder = Path.Combine(_dir, "registry");
        RegistryCsv.WriteFolder(changed, folder);
        var strata = new[] { 211, 184, 154, 199 };
        strata[(int)first.DoseMg - 2]--;

        var result = await CliRunner.RunAsync("report", folder);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains($"| Doses 2 / 3 / 4 / 5 mg | {string.Join(" / ", strata)} |", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("| Doses of 2.5 mg (outside the published strata) | 1 |", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_identifier_in_fhir_data_is_a_located_error_and_the_first_is_kept()
    {
        var (_, fhir) = await CliRunner.ConvertSeed0Async(_dir);
        var patients = Path.Combine(fhir, "ndjson", "Patient.ndjson");
        var lines = await File.ReadAllLinesAsync(patients, TestContext.Current.CancellationToken);
        await File.AppendAllTextAsync(patients, lines[0] + "\n", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync("report", fhir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{patients}:{lines.Length + 1}:0: error SOURCE_DUPLICATE", result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"first read at {patients}:1", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("same key", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("| Patients (male / female) | 148 (63 / 85) |", result.StdOut, StringComparison.Ordinal);
    }
}
