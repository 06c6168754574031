using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// One broken NDJSON file (a wrong type, an unknown element, a failed invariant, a cut-off line, beside three good
/// Patients) through <c>push</c> (the real CLI against the sandbox), the service inbox and <c>POST /intake/fhir</c>
/// (the adapter in-process, each with a sandbox of its own): the same records reach the server and the same errors are
/// reported (code, line, column, the parser's or validator's id), because all three read with the exchange's one reader.
/// </summary>
public sealed partial class SameFhirInputEverywhereTests(ITestOutputHelper output)
{
    private const string System = "urn:test:same-fhir";

    private static readonly string[] Lines =
    [
        TestData.PatientJson(System, "ok1"),
        $$"""{"resourceType":"Patient","identifier":[{"system":"{{System}}","value":"bad-type"}],"gender":1}""",
        TestData.PatientJson(System, "ok2"),
        $$"""{"resourceType":"Patient","identifier":[{"system":"{{System}}","value":"bad-unknown"}],"favouriteColour":"blue"}""",
        $$"""{"resourceType":"Patient","identifier":[{"system":"{{System}}","value":"bad-invariant"}],"contact":[{"gender":"male"}]}""",
        $$"""{"resourceType":"Patient","identifier":[{"system":"{{System}}","value":"bad-cut"}],""",
        TestData.PatientJson(System, "ok3"),
    ];

    private static readonly string[] ExpectedAccepted = ["ok1", "ok2", "ok3"];

    [Fact]
    public async Task Push_inbox_and_intake_accept_refuse_and_report_the_same_fhir_records()
    {
        var work = TestData.TempDir("same-fhir");
        var file = Path.Combine(work, "broken.ndjson");
        await File.WriteAllTextAsync(file, string.Join('\n', Lines) + "\n");

        // push, against a sandbox of its own
        List<string> expected;
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var push = await HostRuns.CliAsync(work, "push", file, "--server", sandbox.BaseUri.ToString(), "--park", Path.Combine(work, "parked"));
            output.WriteLine(push.StdErr);
            Assert.Equal(1, push.ExitCode);
            expected = Errors(push.StdErr);
            Assert.Equal(ExpectedAccepted, await AcceptedAsync(sandbox.BaseUri));
        }

        // Each bad line is refused for its own reason, located at its line.
        Assert.Contains(expected, e => e.StartsWith("FHIR_PARSE 2:", StringComparison.Ordinal) && e.EndsWith("PARSE_WRONG_TYPE", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith("FHIR_PARSE 4:", StringComparison.Ordinal) && e.EndsWith("PARSE_UNKNOWN_ELEMENT", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith("FHIR_INVALID 5:", StringComparison.Ordinal) && e.EndsWith("VAL_INVARIANT", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith("FHIR_PARSE 6:", StringComparison.Ordinal));
        Assert.DoesNotContain(expected, e => e.Split(' ')[1].Split(':')[0] is "1" or "3" or "7");

        // the inbox
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var report = await HostRuns.InboxAsync(sandbox.BaseUri, Path.Combine(work, "inbox-run"),
                inbox => File.Copy(file, Path.Combine(inbox, "broken.ndjson")), "broken.ndjson.errors.txt", 3);
            output.WriteLine(report);
            Assert.Equal(expected, Errors(report));
            Assert.Equal(ExpectedAccepted, await AcceptedAsync(sandbox.BaseUri));
        }

        // POST /intake/fhir as NDJSON
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            using var content = new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/fhir+ndjson");
            var answer = await HostRuns.IntakeAsync(sandbox.BaseUri, Path.Combine(work, "intake-run"), "/intake/fhir", content, 3);
            output.WriteLine(answer.Outcome);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(expected, Errors(answer.Diagnostics));
            Assert.Equal(ExpectedAccepted, await AcceptedAsync(sandbox.BaseUri));
        }

        Directory.Delete(work, recursive: true);
    }

    /// <summary>"CODE line:column ID" of every located error line of an .ndjson input, whoever wrote it, in line order.</summary>
    private static List<string> Errors(string text) =>
        ErrorLine().Matches(text)
            .OrderBy(m => int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture)).ThenBy(m => int.Parse(m.Groups["col"].Value, CultureInfo.InvariantCulture))
            .Select(m => $"{m.Groups["code"].Value} {m.Groups["line"].Value}:{m.Groups["col"].Value} {m.Groups["id"].Value}").ToList();

    [GeneratedRegex(@"[^\s:""]+\.ndjson:(?<line>\d+):(?<col>\d+): error (?<code>[A-Z_]+): [^:\n""]+: (?<id>[A-Z_]+)")]
    private static partial Regex ErrorLine();

    private static async Task<string[]> AcceptedAsync(Uri server)
    {
        var found = await TestData.PatientIdentifiersAsync(server, System);
        Assert.All(found.Values, n => Assert.Equal(1, n));
        return [.. found.Keys.Order(StringComparer.Ordinal)];
    }
}
