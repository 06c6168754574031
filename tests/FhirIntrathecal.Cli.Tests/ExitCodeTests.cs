namespace FhirIntrathecal.Cli.Tests;

/// <summary>The documented exit codes (README "Exit codes"), seen from outside: the built CLI run as a process.</summary>
public sealed class ExitCodeTests : IDisposable
{
    /// <summary>Nothing listens on port 1 of the loopback: connections are refused at once.</summary>
    private const string Unreachable = "http://127.0.0.1:1/fhir/";

    private readonly string _dir = Directory.CreateTempSubdirectory("fi-exit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_command_line_that_does_not_parse_is_exit_2_with_one_line_per_problem()
    {
        var result = await CliRunner.RunAsync("validate", "--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--no-such-option", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_that_does_not_exist_and_a_server_that_is_not_a_url_are_exit_2()
    {
        var missing = await CliRunner.RunAsync("validate", Path.Combine(_dir, "nowhere.json"));
        var badUrl = await CliRunner.RunAsync("push", WriteValidPatient(), "--server", "not a url");

        Assert.Equal((2, 2), (missing.ExitCode, badUrl.ExitCode));
        Assert.All([missing, badUrl], r => Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task An_unreachable_server_is_exit_3_one_line_and_never_a_stack_trace()
    {
        var check = await CliRunner.RunAsync("check", "--server", Unreachable, "--report", _dir);
        var pull = await CliRunner.RunAsync("pull", "--server", Unreachable, "--out", Path.Combine(_dir, "pull"));
        var push = await CliRunner.RunAsync("push", WriteValidPatient(), "--server", Unreachable, "--park", Path.Combine(_dir, "parked"));

        Assert.Equal(3, check.ExitCode);
        Assert.Contains("error: the server could not be reached or is not a FHIR server (GET /metadata", check.StdErr, StringComparison.Ordinal);
        Assert.Equal(3, pull.ExitCode);
        Assert.Contains("error: the server could not be reached (ConnectionRefused)", pull.StdErr, StringComparison.Ordinal);
        Assert.Equal(3, push.ExitCode);
        Assert.Contains("parked ", push.StdErr, StringComparison.Ordinal);
        Assert.All([check, pull, push], r => Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folder_with_nothing_to_validate_says_so_exit_1()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        await File.WriteAllTextAsync(Path.Combine(empty, "notes.txt"), "not FHIR", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync("validate", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing to validate", result.StdErr, StringComparison.Ordinal);
    }

    private string WriteValidPatient()
    {
        var path = Path.Combine(_dir, "patient.json");
        File.WriteAllText(path, """{"resourceType":"Patient","id":"exit-codes"}""");
        return path;
    }
}
