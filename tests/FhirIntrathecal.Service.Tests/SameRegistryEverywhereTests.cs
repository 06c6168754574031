using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FhirIntrathecal.Exchange.Tests;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Service.Outbox;
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
        var convert = await CliAsync(work, "convert", BrokenRegistry.Folder, "--out", Path.Combine(work, "converted"));
        Assert.Equal(1, convert.ExitCode);
        Assert.Equal(expected, Located(convert.StdErr));
        Assert.Equal(BrokenRegistry.Accepted, ConvertedRecords(Path.Combine(work, "converted", FhirFiles.NdjsonFolder)));

        // push, against a sandbox of its own
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var push = await CliAsync(work, "push", BrokenRegistry.Folder, "--server", sandbox.BaseUri.ToString(), "--park", Path.Combine(work, "parked"));
            Assert.Equal(1, push.ExitCode);
            Assert.Equal(expected, Located(push.StdErr));
            Assert.Equal(BrokenRegistry.Accepted, await ServerRecordsAsync(sandbox.BaseUri));
        }

        // the inbox
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var inboxWork = Path.Combine(work, "inbox-run");
            var registry = Path.Combine(inboxWork, "inbox", "broken-registry");
            CopyFolder(BrokenRegistry.Folder, registry);
            using var host = AdapterHost.Build(ServeArgs.For(sandbox.BaseUri, inboxWork).ToArray());
            await host.StartAsync();
            var report = Path.Combine(inboxWork, "inbox", "quarantine", "broken-registry.errors.txt");
            await WaitAsync(() => File.Exists(report), "the inbox to quarantine the registry");
            await using (var store = new SqliteOutboxStore(Path.Combine(inboxWork, "outbox.db")))
            {
                await TestData.WaitForDrainAsync(store, 3, TimeSpan.FromMinutes(2));
            }

            await host.StopAsync();
            var text = await File.ReadAllTextAsync(report);
            output.WriteLine(text);
            Assert.Equal(expected, Located(text));
            Assert.Equal(BrokenRegistry.Accepted, await ServerRecordsAsync(sandbox.BaseUri));
        }

        // POST /intake/registry, the CSV files as multipart/form-data
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var intakeWork = Path.Combine(work, "intake-run");
            var url = $"http://127.0.0.1:{FreePort()}";
            using var host = AdapterHost.Build([.. ServeArgs.For(sandbox.BaseUri, intakeWork), "--Adapter:Inbox:Enabled=false", "--Adapter:Intake:Enabled=true", "--Adapter:Intake:AllowAnonymousOnLoopback=true", $"--Adapter:Intake:Url={url}"]);
            await host.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using var form = new MultipartFormDataContent();
            foreach (var name in new[] { "patients.csv", "administrations.csv" })
            {
                var file = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(BrokenRegistry.Folder, name)));
                file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(file, name, name);
            }

            using var answer = await http.PostAsync("/intake/registry", form);
            var outcome = await answer.Content.ReadAsStringAsync();
            output.WriteLine(outcome);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            await using (var store = new SqliteOutboxStore(Path.Combine(intakeWork, "outbox.db")))
            {
                await TestData.WaitForDrainAsync(store, 3, TimeSpan.FromMinutes(2));
            }

            await host.StopAsync();
            var issues = JsonNode.Parse(outcome)!["issue"]!.AsArray().Select(i => (string?)i!["diagnostics"] ?? string.Empty);
            Assert.Equal(expected, Located(string.Join('\n', issues)));
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

    internal static async Task WaitAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    internal static void CopyFolder(string from, string to)
    {
        var staging = to + ".part";
        Directory.CreateDirectory(staging);
        foreach (var f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(staging, Path.GetFileName(f)));
        }

        Directory.Move(staging, to);
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    internal static async Task<(int ExitCode, string StdOut, string StdErr)> CliAsync(string work, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(ServiceProcess.CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
