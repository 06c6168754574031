using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// Issue 15, step 1: the broken pump registry (an overfill, a dose above the label, a bad date, an implant of an unknown
/// patient, warnings) through <c>convert</c> (the real CLI), the service inbox and <c>POST /intake/registry</c> (multipart,
/// the pump tables) gives the same located diagnostics as the exchange in-process, and the same accepted refills reach
/// the files and the sandbox. No host has pump code: each tells the modality from the folder or the part names.
/// </summary>
public sealed partial class SamePumpRegistryEverywhereTests(ITestOutputHelper output)
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "broken-pump-registry");

    [Fact]
    public async Task Convert_inbox_and_intake_accept_refuse_and_report_the_same_pump_records()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = TestData.TempDir("same-pump-registry");
        var prepared = RegistryExchange.CreateDefault().Prepare(Folder, DateTimeOffset.UnixEpoch, ct: ct);
        var expected = prepared.Diagnostics.Select(d => $"{d.Code} {Path.GetFileName(d.File)}:{d.Line}:{d.Column}").Order(StringComparer.Ordinal).ToList();
        var refills = prepared.Accepted.Where(r => r.StartsWith("refill ", StringComparison.Ordinal)).Select(r => r["refill ".Length..]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(35, expected.Count);
        Assert.Equal(37, refills.Count);
        var transactions = Delivery.Transactions(prepared, Idempotency.Upsert).Count();

        // convert
        var convert = await SameRegistryEverywhereTests.CliAsync(work, "convert", Folder, "--out", Path.Combine(work, "converted"));
        Assert.Equal(1, convert.ExitCode);
        Assert.Equal(expected, Sorted(convert.StdErr));
        var written = File.ReadLines(Path.Combine(work, "converted", FhirFiles.NdjsonFolder, "Procedure.ndjson"))
            .SelectMany(l => JsonNode.Parse(l)!["identifier"]!.AsArray()).Where(i => (string?)i!["system"] == Itm.Sid("pump-refill")).Select(i => (string)i!["value"]!).Order(StringComparer.Ordinal);
        Assert.Equal(refills, written);

        // the inbox
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var inboxWork = Path.Combine(work, "inbox-run");
            SameRegistryEverywhereTests.CopyFolder(Folder, Path.Combine(inboxWork, "inbox", "broken-pump-registry"));
            using var host = AdapterHost.Build(ServeArgs.For(sandbox.BaseUri, inboxWork).ToArray());
            await host.StartAsync(ct);
            var report = Path.Combine(inboxWork, "inbox", "quarantine", "broken-pump-registry.errors.txt");
            await SameRegistryEverywhereTests.WaitAsync(() => File.Exists(report), "the inbox to quarantine the registry");
            await using (var store = new SqliteOutboxStore(Path.Combine(inboxWork, "outbox.db")))
            {
                await TestData.WaitForDrainAsync(store, transactions, TimeSpan.FromMinutes(2));
            }

            await host.StopAsync(ct);
            Assert.Equal(expected, Sorted(await File.ReadAllTextAsync(report, ct)));
            Assert.Equal(refills, await ServerRefillsAsync(sandbox.BaseUri));
        }

        // POST /intake/registry, the pump tables as multipart/form-data
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var intakeWork = Path.Combine(work, "intake-run");
            var url = $"http://127.0.0.1:{SameRegistryEverywhereTests.FreePort()}";
            using var host = AdapterHost.Build([.. ServeArgs.For(sandbox.BaseUri, intakeWork), "--Adapter:Inbox:Enabled=false", "--Adapter:Intake:Enabled=true", "--Adapter:Intake:AllowAnonymousOnLoopback=true", $"--Adapter:Intake:Url={url}"]);
            await host.StartAsync(ct);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using var form = new MultipartFormDataContent();
            foreach (var name in PumpRegistryCsv.FileNames)
            {
                var file = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(Folder, name), ct));
                file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(file, name, name);
            }

            using var answer = await http.PostAsync("/intake/registry", form, ct);
            var outcome = await answer.Content.ReadAsStringAsync(ct);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            await using (var store = new SqliteOutboxStore(Path.Combine(intakeWork, "outbox.db")))
            {
                await TestData.WaitForDrainAsync(store, transactions, TimeSpan.FromMinutes(2));
            }

            await host.StopAsync(ct);
            var issues = JsonNode.Parse(outcome)!["issue"]!.AsArray().Select(i => (string?)i!["diagnostics"] ?? string.Empty);
            Assert.Equal(expected, Sorted(string.Join('\n', issues)));
            Assert.Equal(refills, await ServerRefillsAsync(sandbox.BaseUri));
        }

        output.WriteLine($"Pump registry everywhere: {expected.Count} diagnostics, {prepared.Refused.Count} records refused, {refills.Count} refills accepted, the same from convert, the inbox and the intake");
        Directory.Delete(work, recursive: true);
    }

    private static List<string> Sorted(string text) => [.. SameRegistryEverywhereTests.Located(text).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> ServerRefillsAsync(Uri server)
    {
        var refills = await TestData.IdentifiersAsync(server, "Procedure", Itm.Sid("pump-refill"));
        Assert.All(refills.Values, n => Assert.Equal(1, n));
        return [.. refills.Keys.Order(StringComparer.Ordinal)];
    }
}
