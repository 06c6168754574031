namespace FhirIntrathecal.Cli.Tests;

/// <summary><c>demo</c> as a user runs it: embedded defaults, the sandbox started by the command itself, exit 0.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_on_embedded_defaults_starts_its_own_sandbox_reproduces_the_study_and_exits_0()
    {
        var result = await CliRunner.RunAsync("demo", "--out", _dir);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("Starting the local FHIR sandbox", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("second push: 0 created", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("The table from the server equals the table from the registry", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("| Doses 2 / 3 / 4 / 5 mg | 211 / 184 / 154 / 199 |", await File.ReadAllTextAsync(Path.Combine(_dir, "report.md"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
