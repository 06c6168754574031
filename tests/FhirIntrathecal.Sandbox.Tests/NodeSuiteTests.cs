using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FhirIntrathecal.Sandbox.Tests;

/// <summary>
/// The wrapper's own node:test suite (tools/fhir-sandbox/test), run here so `.ci/run` counts it: HTTP behaviour,
/// transactions, the identifier index, process lifecycle. The collection fixture has installed node_modules.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed partial class NodeSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_sandbox_node_suite_passes()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = SandboxServer.FindSandboxDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--experimental-websocket", "--test", "test/" },
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await node.WaitForExitAsync(timeout.Token);
        var tap = await stdout;

        var passed = Count(PassLine(), tap);
        var failed = Count(FailLine(), tap);
        output.WriteLine($"Sandbox node suite: {passed} passed, {failed} failed");
        Assert.True(node.ExitCode == 0 && failed == 0, tap + await stderr);
        Assert.True(passed >= 20, $"only {passed} node tests ran:\n{tap}");
    }

    private static int Count(Regex line, string tap) =>
        line.Match(tap) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^# fail (\d+)$", RegexOptions.Multiline)]
    private static partial Regex FailLine();
}
