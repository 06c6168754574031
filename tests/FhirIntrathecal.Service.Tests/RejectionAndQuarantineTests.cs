using System.Globalization;
using System.Diagnostics;
using System.Text.Json;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// What the server refuses lands in dead-letter with its OperationOutcome while everything else is delivered; what
/// cannot be read lands in quarantine with located errors; a registry export goes through the ig mapping. Runs the
/// adapter in-process (same composition as `serve`) and the outbox commands as the real CLI.
/// </summary>
public sealed class RejectionAndQuarantineTests(ITestOutputHelper output)
{
    private const string System = "urn:test:reject";

    [Fact]
    public async Task Refused_resources_are_dead_lettered_malformed_inputs_quarantined_the_rest_delivered()
    {
        await using var sandbox = await TestData.StartSandboxAsync();
        var work = TestData.TempDir("reject");
        var inbox = Path.Combine(work, "inbox");
        Directory.CreateDirectory(inbox);

        // 40 good Patients and 3 the server refuses (pat-1: a contact with no details), one NDJSON file.
        var lines = Enumerable.Range(0, 40).Select(i => TestData.PatientJson(System, TestData.Value(i))).ToList();
        for (var i = 0; i < 3; i++)
        {
            lines.Insert(10 * (i + 1), $$"""{"resourceType":"Patient","identifier":[{"system":"{{System}}","value":"refused-{{i}}"}],"contact":[{"gender":"male"}]}""");
        }

        await File.WriteAllLinesAsync(Path.Combine(inbox, "mixed.ndjson"), lines);
        // Malformed: a JSON syntax error on line 3, and an NDJSON file with two bad lines among good ones.
        await File.WriteAllTextAsync(Path.Combine(inbox, "broken.json"), "{\n  \"resourceType\": \"Patient\",\n  \"gender\": \"male\" \"x\"\n}\n");
        await File.WriteAllLinesAsync(Path.Combine(inbox, "some-bad-lines.ndjson"),
        [
            TestData.PatientJson(System, "lines-1"),
            """{"resourceType":"Patient","gender":12}""",
            TestData.PatientJson(System, "lines-2"),
            """{"resourceType":"Patient","colour":"blue"}""",
        ]);
        await File.WriteAllTextAsync(Path.Combine(inbox, "notes.txt"), "not FHIR");
        // One patient: the sandbox resolves conditional transaction entries slowly once resources exist (an 88-entry
        // transaction took 34 s against 575 stored resources), so more would test the sandbox, not the adapter.
        WriteRegistry(Path.Combine(inbox, "registry-export"), patients: 1);

        // Validation off: this test is about what the server refuses (with validation on, the adapter refuses pat-1 itself).
        var args = ServeArgs.For(sandbox.BaseUri, work, "--Adapter:Validation:Enabled=false").ToArray();
        using (var host = AdapterHost.Build(args))
        {
            await host.StartAsync();
            var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
            await WaitForInboxEmptyAsync(inbox);
            var stats = await TestData.WaitForDrainAsync(store, 1, TimeSpan.FromMinutes(2));
            await host.StopAsync();
            output.WriteLine($"outbox after the run: {stats}");
            await store.DisposeAsync();
        }

        // Dead letters through the real CLI, as an operator sees them.
        var dead = JsonDocument.Parse(await CliAsync(work, "outbox", "list", "--status", "dead", "--json")).RootElement;
        Assert.Equal(3, dead.GetArrayLength());
        foreach (var item in dead.EnumerateArray())
        {
            Assert.Equal(400, item.GetProperty("serverStatus").GetInt32());
            Assert.StartsWith("mixed.ndjson:", item.GetProperty("source").GetString(), StringComparison.Ordinal);
            var outcome = JsonDocument.Parse(item.GetProperty("outcome").GetString()!).RootElement;
            Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
            Assert.Contains("pat-1", outcome.GetRawText(), StringComparison.Ordinal);
        }

        var found = await TestData.PatientIdentifiersAsync(sandbox.BaseUri, System);
        var expected = Enumerable.Range(0, 40).Select(TestData.Value).Append("lines-1").Append("lines-2").ToList();
        var (lost, duplicated) = TestData.Compare(found, expected);
        Assert.Equal((0, 0), (lost, duplicated));

        // Quarantine: each bad input with a report of located errors beside it.
        var quarantine = Path.Combine(inbox, "quarantine");
        var broken = await File.ReadAllTextAsync(Path.Combine(quarantine, "broken.json.errors.txt"));
        Assert.Matches(@"broken\.json:3:\d+: error FHIR_PARSE: .*PARSE_SYNTAX", broken);
        var badLines = await File.ReadAllTextAsync(Path.Combine(quarantine, "some-bad-lines.ndjson.errors.txt"));
        Assert.Matches(@"some-bad-lines\.ndjson:2:\d+: error FHIR_PARSE: .*PARSE_WRONG_TYPE.*\(at Patient\.gender\)", badLines);
        Assert.Matches(@"some-bad-lines\.ndjson:4:\d+: error FHIR_PARSE: .*PARSE_UNKNOWN_ELEMENT", badLines);
        Assert.Contains("INBOX_UNKNOWN_FORMAT", await File.ReadAllTextAsync(Path.Combine(quarantine, "notes.txt.errors.txt")), StringComparison.Ordinal);
        var registry = await File.ReadAllTextAsync(Path.Combine(quarantine, "registry-export.errors.txt"));
        Assert.Contains("RULE_DOSE_RANGE", registry, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(inbox, "done", "mixed.ndjson")));

        // The registry's transactions reached the server: its patients exist once each.
        var registryPatients = await TestData.PatientIdentifiersAsync(sandbox.BaseUri, FhirIntrathecal.Mapping.Fhir.Itm.Sid("patient"));
        output.WriteLine($"registry report:\n{registry}");
        Assert.Equal(["P001"], registryPatients.Keys.Order().ToArray());
        Assert.All(registryPatients.Values, n => Assert.Equal(1, n));

        // retry puts one dead item back in the queue; purge removes the other two; health shows the result.
        var firstDead = dead[0].GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Contains("1 item(s) pending again", await CliAsync(work, "outbox", "retry", "--id", firstDead), StringComparison.Ordinal);
        Assert.Contains("2 dead item(s) purged", await CliAsync(work, "outbox", "purge", "--status", "dead"), StringComparison.Ordinal);
        var health = await CliAsync(work, "health");
        Assert.Contains("outbox depth: 1 (0 leased)", health, StringComparison.Ordinal);
        Assert.Contains("dead letters: 0", health, StringComparison.Ordinal);

        TestData.Report(output, $"dead-letter: {dead.GetArrayLength()} refused resources parked with the server's OperationOutcome, {expected.Count} others delivered (lost=0 duplicated=0); quarantine: 4 inputs with located error reports");
        Directory.Delete(work, recursive: true);
    }

    /// <summary>The first <paramref name="patients"/> patients of the seed-0 cohort, one administration changed to a 9 mg dose (a rule error).</summary>
    private static void WriteRegistry(string folder, int patients)
    {
        var root = FindRepoRoot();
        var source = Path.Combine(root, "examples", "cohort-seed0");
        Directory.CreateDirectory(folder + ".part");
        var pat = File.ReadAllLines(Path.Combine(source, "patients.csv"));
        File.WriteAllLines(Path.Combine(folder + ".part", "patients.csv"), pat.Take(patients + 1));
        var ids = pat.Skip(1).Take(patients).Select(l => l.Split(',')[0]).ToHashSet();
        var admin = File.ReadAllLines(Path.Combine(source, "administrations.csv"));
        var rows = admin.Skip(1).Where(l => ids.Contains(l.Split(',')[1])).ToList();
        var cells = rows[0].Split(',');
        cells[3] = "9";
        rows[0] = string.Join(',', cells);
        File.WriteAllLines(Path.Combine(folder + ".part", "administrations.csv"), rows.Prepend(admin[0]));
        Directory.Move(folder + ".part", folder);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "examples", "cohort-seed0")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("examples/cohort-seed0 not found");
    }

    private static async Task WaitForInboxEmptyAsync(string inbox)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (Directory.EnumerateFileSystemEntries(inbox).Any(e => Path.GetFileName(e) is not ("done" or "quarantine")))
        {
            Assert.True(DateTime.UtcNow < until, "inbox not emptied");
            await Task.Delay(200);
        }
    }

    private static async Task<string> CliAsync(string work, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(ServiceProcess.CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add($"--Adapter:Outbox:Path={Path.Combine(work, "outbox.db")}");
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode is 0 or 1, $"{string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
        return stdout;
    }
}
