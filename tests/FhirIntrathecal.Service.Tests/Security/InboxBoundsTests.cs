using System.Text.Json.Nodes;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>Inbox:MaxItemBytes bounds what one inbox item may hold: a .json file over it is refused unread, an NDJSON line over it is a located error, and the rest is still taken.</summary>
public sealed class InboxBoundsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Items_over_the_cap_are_quarantined_with_their_location_and_the_others_are_queued()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = TestData.TempDir("inbox-bounds");
        var inbox = Path.Combine(work, "inbox");
        Directory.CreateDirectory(inbox);
        const string system = "urn:test:bounds";
        var big = Patient("big-1", 4000);
        await File.WriteAllTextAsync(Path.Combine(inbox, "big.json"), big, ct);
        await File.WriteAllTextAsync(Path.Combine(inbox, "lines.ndjson"), string.Join('\n', Patient("small-1", 0), Patient("big-2", 4000), Patient("small-2", 0)) + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(inbox, "next.json"), Patient("small-3", 0), ct);

        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri("http://127.0.0.1:9/"), work), "--Adapter:Dispatcher:Enabled=false", "--Adapter:Inbox:MaxItemBytes=2048"]);
        await host.StartAsync(ct);
        var until = DateTime.UtcNow.AddMinutes(2);
        while (Directory.EnumerateFiles(inbox).Any() && DateTime.UtcNow < until)
        {
            await Task.Delay(200, ct);
        }

        await host.StopAsync(ct);

        var quarantine = Path.Combine(inbox, "quarantine");
        var bigReport = await File.ReadAllTextAsync(Path.Combine(quarantine, "big.json.errors.txt"), ct);
        var linesReport = await File.ReadAllTextAsync(Path.Combine(quarantine, "lines.ndjson.errors.txt"), ct);
        output.WriteLine(bigReport + linesReport);
        Assert.Contains("INBOX_ITEM_TOO_LARGE", bigReport, StringComparison.Ordinal);
        Assert.Contains("lines.ndjson:2:0: error INBOX_ITEM_TOO_LARGE", linesReport, StringComparison.Ordinal);
        Assert.Contains("INBOX_ITEM_TOO_LARGE", linesReport, StringComparison.Ordinal);
        Assert.DoesNotContain("big-2", linesReport, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(inbox, "done", "next.json")));

        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        var queued = await store.ListAsync(null, 100, ct);
        Assert.Equal(3, queued.Count);
        Directory.Delete(work, recursive: true);

        string Patient(string id, int padding) => new JsonObject
        {
            ["resourceType"] = "Patient",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = system, ["value"] = id }),
            ["name"] = new JsonArray(new JsonObject { ["text"] = new string('x', padding + 1) }),
        }.ToJsonString();
    }
}
