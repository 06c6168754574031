using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FhirIntrathecal.Exchange.Tests;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// The issue's "done when": one deliberately broken registry (bad date, missing id, 9 mg, 1-week interval, stray quote,
/// extra field) through <c>convert</c> and <c>push</c> (the real CLI, push against the sandbox), the service inbox and
/// <c>POST /intake/registry</c> (the adapter in-process, each delivering to a sandbox of its own) gives the same
/// accepted records (what reached the files or the server), the same refused records and the same diagnostics
/// (code, file, line, column).
/// </summary>
public sealed partial class SameRegistryEverywhereTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Convert_push_inbox_and_intake_accept_refuse_and_report_the_same()
    {
        var work = TestData.TempDir("same-registry");
        var expected = BrokenRegistry.Diagnostics.Select(d => $"{d.Code} {d.File}:{d.Line}:{d.Column}").ToList();

        // convert
        var convert = await HostRuns.CliAsync(work, "convert", BrokenRegistry.Folder, "--out", Path.Combine(work, "converted"));
        Assert.Equal(1, convert.ExitCode);
        Assert.Equal(expected, Located(convert.StdErr));
        Assert.Equal(BrokenRegistry.Accepted, ConvertedRecords(Path.Combine(work, "converted", FhirFiles.NdjsonFolder)));

        // push, against a sandbox of its own
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var push = await HostRuns.CliAsync(work, "push", BrokenRegistry.Folder, "--server", sandbox.BaseUri.ToString(), "--park", Path.Combine(work, "parked"));
            Assert.Equal(1, push.ExitCode);
            Assert.Equal(expected, Located(push.StdErr));
            Assert.Equal(BrokenRegistry.Accepted, await ServerRecordsAsync(sandbox.BaseUri));
        }

        // the inbox
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var report = await HostRuns.InboxAsync(sandbox.BaseUri, Path.Combine(work, "inbox-run"),
                inbox => HostRuns.CopyFolder(BrokenRegistry.Folder, Path.Combine(inbox, "broken-registry")), "broken-registry.errors.txt", 3);
            output.WriteLine(report);
            Assert.Equal(expected, Located(report));
            Assert.Equal(BrokenRegistry.Accepted, await ServerRecordsAsync(sandbox.BaseUri));
        }

        // POST /intake/registry, the CSV files as multipart/form-data
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            using var form = HostRuns.CsvForm(BrokenRegistry.Folder, ["patients.csv", "administrations.csv"]);
            var answer = await HostRuns.IntakeAsync(sandbox.BaseUri, Path.Combine(work, "intake-run"), "/intake/registry", form, 3);
            output.WriteLine(answer.Outcome);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(expected, Located(answer.Diagnostics));
            Assert.Equal(BrokenRegistry.Accepted, await ServerRecordsAsync(sandbox.BaseUri));
        }

        Directory.Delete(work, recursive: true);
    }

    /// <summary>"CODE file:line:column" of every located line, whatever host wrote it, in file order (hosts may list errors before warnings).</summary>
    internal static List<string> Located(string text) =>
        LocatedLine().Matches(text)
            .OrderBy(m => Path.GetFileName(m.Groups["file"].Value), StringComparer.Ordinal).ThenBy(m => int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture)).ThenBy(m => int.Parse(m.Groups["col"].Value, CultureInfo.InvariantCulture))
            .Select(m => $"{m.Groups["code"].Value} {Path.GetFileName(m.Groups["file"].Value)}:{m.Groups["line"].Value}:{m.Groups["col"].Value}").ToList();

    [GeneratedRegex(@"(?<file>[^\s:""]+\.csv):(?<line>\d+):(?<col>\d+): (?:error |warning )?(?<code>[A-Z_]+):")]
    private static partial Regex LocatedLine();

    private static string[] ConvertedRecords(string ndjson) =>
        [.. RecordsOf(File.ReadLines(Path.Combine(ndjson, "Patient.ndjson")), "patient")
            .Concat(RecordsOf(File.ReadLines(Path.Combine(ndjson, "MedicationAdministration.ndjson")), "administration")).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> RecordsOf(IEnumerable<string> lines, string kind) =>
        lines.Where(l => l.Length > 0).SelectMany(l => JsonNode.Parse(l)!["identifier"]!.AsArray())
            .Where(i => (string?)i!["system"] == Itm.Sid(kind)).Select(i => $"{kind} {(string?)i!["value"]}");

    private static async Task<string[]> ServerRecordsAsync(Uri server)
    {
        var patients = await TestData.IdentifiersAsync(server, "Patient", Itm.Sid("patient"));
        var administrations = await TestData.IdentifiersAsync(server, "MedicationAdministration", Itm.Sid("administration"));
        Assert.All(patients.Values.Concat(administrations.Values), n => Assert.Equal(1, n));
        return [.. administrations.Keys.Select(k => $"administration {k}").Concat(patients.Keys.Select(k => $"patient {k}")).Order(StringComparer.Ordinal)];
    }
}
