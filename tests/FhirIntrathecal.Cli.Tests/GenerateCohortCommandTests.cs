namespace FhirIntrathecal.Cli.Tests;

public sealed class GenerateCohortCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-pump-cohort-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Pump_modality_writes_the_committed_seed_0_pump_registry()
    {
        var result = await CliRunner.RunAsync("generate-cohort", "--modality", "pump", "--seed", "0", "--out", _dir);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.StartsWith("126 patients, ", result.StdOut, StringComparison.Ordinal);
        var committed = Path.Combine(CliRunner.RepoRoot, "examples", "pump-cohort-seed0");
        var files = Directory.GetFiles(committed, "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files, Directory.GetFiles(_dir, "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        foreach (var file in files)
        {
            Assert.True(
                await File.ReadAllTextAsync(Path.Combine(committed, file!)) == await File.ReadAllTextAsync(Path.Combine(_dir, file!)),
                $"{file} differs from examples/pump-cohort-seed0");
        }
    }

    [Fact]
    public async Task An_unknown_modality_is_refused_with_the_allowed_ones()
    {
        var result = await CliRunner.RunAsync("generate-cohort", "--modality", "infusion", "--out", _dir);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'pump'", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
