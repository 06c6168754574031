using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Cli.Tests;

/// <summary><c>export-registry</c>: FHIR → the documented registry layout, closing the loop convert opens.</summary>
public sealed class ExportRegistryCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Seed_0_registry_to_fhir_and_back_gives_the_same_rows_in_csv_and_in_json()
    {
        var (original, fhir) = await CliRunner.ConvertSeed0Async(_dir);

        var csv = await CliRunner.RunAsync("export-registry", fhir, "--out", Path.Combine(_dir, "csv"));
        var json = await CliRunner.RunAsync("export-registry", Path.Combine(fhir, "bundles"), "--out", Path.Combine(_dir, "json"), "--output-format", "JSON");

        Assert.True(csv.ExitCode == 0, csv.StdErr);
        Assert.True(json.ExitCode == 0, json.StdErr);
        Assert.Contains("148 patients, 748 administrations", csv.StdOut, StringComparison.Ordinal);
        foreach (var file in new[] { "patients.csv", "administrations.csv" })
        {
            Assert.Equal(await Rows(Path.Combine(original, file)), await Rows(Path.Combine(_dir, "csv", file)));
        }

        // The JSON layout read back is the same registry as the original CSV.
        var fromJson = RegistryInput.Read(Path.Combine(_dir, "json"));
        var fromCsv = RegistryInput.Read(original);
        Assert.Empty(fromJson.Errors);
        Assert.Equal(fromCsv.Registry.Patients.OrderBy(p => p.RegistryId, StringComparer.Ordinal), fromJson.Registry.Patients.OrderBy(p => p.RegistryId, StringComparer.Ordinal));
        Assert.Equal(fromCsv.Registry.Administrations.OrderBy(a => a.Id, StringComparer.Ordinal), fromJson.Registry.Administrations.OrderBy(a => a.Id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_folder_with_no_fhir_data_is_exit_1_and_writes_nothing()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var output = Path.Combine(_dir, "out");

        var result = await CliRunner.RunAsync("export-registry", empty, "--out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error SOURCE_EMPTY", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>The header, then the data rows in order of their first field (the id): the documented normalisation is row order only.</summary>
    private static async Task<IReadOnlyList<string>> Rows(string path)
    {
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        return [lines[0], .. lines.Skip(1).Order(StringComparer.Ordinal)];
    }
}
