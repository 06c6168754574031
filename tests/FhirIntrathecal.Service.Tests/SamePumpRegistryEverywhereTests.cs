using System.Net;
using System.Text.Json.Nodes;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;
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
        var convert = await HostRuns.CliAsync(work, "convert", Folder, "--out", Path.Combine(work, "converted"));
        Assert.Equal(1, convert.ExitCode);
        Assert.Equal(expected, Sorted(convert.StdErr));
        var written = File.ReadLines(Path.Combine(work, "converted", FhirFiles.NdjsonFolder, "Procedure.ndjson"))
            .SelectMany(l => JsonNode.Parse(l)!["identifier"]!.AsArray()).Where(i => (string?)i!["system"] == Itm.Sid("pump-refill")).Select(i => (string)i!["value"]!).Order(StringComparer.Ordinal);
        Assert.Equal(refills, written);

        // the inbox
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var report = await HostRuns.InboxAsync(sandbox.BaseUri, Path.Combine(work, "inbox-run"),
                inbox => HostRuns.CopyFolder(Folder, Path.Combine(inbox, "broken-pump-registry")), "broken-pump-registry.errors.txt", transactions);
            Assert.Equal(expected, Sorted(report));
            Assert.Equal(refills, await ServerRefillsAsync(sandbox.BaseUri));
        }

        // POST /intake/registry, the pump tables as multipart/form-data
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            using var form = HostRuns.CsvForm(Folder, PumpRegistryCsv.FileNames);
            var answer = await HostRuns.IntakeAsync(sandbox.BaseUri, Path.Combine(work, "intake-run"), "/intake/registry", form, transactions);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(expected, Sorted(answer.Diagnostics));
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
