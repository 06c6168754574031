using System.Text.Json.Nodes;
using FhirIntrathecal.Service.Dispatch;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>
/// Audit:PushToServer copies every AuditEvent of the outbox store to the FHIR server under a stable id: all of them
/// arrive, a restart (or a second instance starting from cursor 0) creates none twice, and none carries a patient value.
/// </summary>
public sealed class AuditForwardingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_audit_event_reaches_the_server_once_and_carries_no_patient_value()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = TestData.TempDir("audit-push");
        const string system = "urn:test:audit-push";
        await using var sandbox = await TestData.StartSandboxAsync();
        string[] args = [.. ServeArgs.For(sandbox.BaseUri, work, "--Adapter:Audit:PushToServer=true", "--Adapter:Audit:PushInterval=00:00:00.5", "--Adapter:Audit:PushBatchSize=7")];
        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        await store.InitializeAsync(ct);

        await using (var service = ServiceProcess.Start(work, args))
        {
            await TestData.WriteNdjsonAsync(Path.Combine(work, "inbox"), system, 0, 30, perFile: 10);
            await TestData.WaitForDrainAsync(store, 30, TimeSpan.FromMinutes(2), () => service.HasExited);
            await WaitForAsync(async () => await ServerCountAsync(sandbox.BaseUri) >= await AuditCountAsync(store, ct), service, ct);
            Assert.Equal(0, await service.StopAsync(TimeSpan.FromSeconds(60)));
        }

        var stored = await store.ReadAuditAsync(0, 10_000, ct);
        var onServer = await ServerAuditEventsAsync(sandbox.BaseUri);
        Assert.NotEmpty(stored);
        Assert.Contains(stored, r => r.Action == AuditAction.Delivery);
        Assert.Equal(stored.Select(AuditForwarder.StableId).Order(), onServer.Select(e => (string)e["id"]!).Order());
        Assert.Equal(stored[^1].Id, await store.ReadCursorAsync(AuditForwarder.CursorName, ct));
        var text = string.Join('\n', onServer.Select(e => e.ToJsonString()));
        Assert.DoesNotContain(TestData.Value(0), text, StringComparison.Ordinal);
        Assert.DoesNotContain(system, text, StringComparison.Ordinal);

        // A second instance whose cursor starts at 0 (or a restart after a lost cursor) pushes the same ids: no new resources.
        Assert.True(await store.AdvanceCursorAsync(AuditForwarder.CursorName, stored[^1].Id, 0, ct));
        await using (var again = ServiceProcess.Start(work, args))
        {
            await WaitForAsync(async () => await store.ReadCursorAsync(AuditForwarder.CursorName, ct) >= stored[^1].Id, again, ct);
            Assert.Equal(0, await again.StopAsync(TimeSpan.FromSeconds(60)));
        }

        var afterReplay = await ServerAuditEventsAsync(sandbox.BaseUri);
        TestData.Report(output, $"audit-push: {stored.Count} audit events stored, {onServer.Count} on the server, {afterReplay.Count} after a replay from cursor 0");
        Assert.Equal(onServer.Count, afterReplay.Count);
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task A_server_that_is_down_leaves_the_cursor_where_it_was()
    {
        var ct = TestContext.Current.CancellationToken;
        var (work, store) = await NewStoreAsync("audit-down", ct);
        await using var _ = store;
        await store.AppendAuditAsync([AuditTrail.Event(AuditAction.Intake, true, "client", "test", DateTimeOffset.UtcNow, "outbox item 1")], ct);
        var down = new DownTarget();
        var forwarder = Forwarder(store, down);

        Assert.Equal(0, await forwarder.ForwardOnceAsync(ct));
        Assert.Equal(0, await store.ReadCursorAsync(AuditForwarder.CursorName, ct));
        Assert.Equal(1, down.Calls);
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task A_damaged_entry_is_refused_alone_and_the_entries_after_it_still_go()
    {
        var ct = TestContext.Current.CancellationToken;
        var (work, store) = await NewStoreAsync("audit-damaged", ct);
        await using var _ = store;
        var good = AuditTrail.Event(AuditAction.Intake, true, "client", "test", DateTimeOffset.UtcNow, "outbox item 1");
        await store.AppendAuditAsync([good, good with { EventJson = "{\"resourceType\":\"AuditEvent\",\"type\":" }, good with { EventJson = "{\"resourceType\":\"Patient\"}" }, good], ct);
        var target = new TakingTarget();
        var forwarder = Forwarder(store, target);

        Assert.Equal(4, await forwarder.ForwardOnceAsync(ct));
        var stored = await store.ReadAuditAsync(0, 10, ct);
        Assert.Equal(stored[^1].Id, await store.ReadCursorAsync(AuditForwarder.CursorName, ct));
        Assert.Equal([$"AuditEvent/{AuditForwarder.StableId(stored[0])}", $"AuditEvent/{AuditForwarder.StableId(stored[3])}"], target.Urls);
        Assert.Equal(4, stored.Count);  // the damaged entries stay in the store
        Directory.Delete(work, recursive: true);
    }

    private static async Task<(string Work, SqliteOutboxStore Store)> NewStoreAsync(string name, CancellationToken ct)
    {
        var work = TestData.TempDir(name);
        var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        await store.InitializeAsync(ct);
        return (work, store);
    }

    private static AuditForwarder Forwarder(SqliteOutboxStore store, IFhirPushTarget target) =>
        new(store, target, new Options.AuditOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditForwarder>.Instance);

    private sealed class TakingTarget : IFhirPushTarget
    {
        public List<string> Urls { get; } = [];

        public Task<IReadOnlyList<PushResult>> PushEntriesAsync(IReadOnlyList<LeasedItem> items, CancellationToken ct)
        {
            Urls.AddRange(items.Select(i => i.Url));
            return Task.FromResult<IReadOnlyList<PushResult>>(items.Select(_ => new PushResult(PushResultKind.Delivered, 200, null, null, null)).ToList());
        }

        public Task<PushResult> PushTransactionAsync(LeasedItem item, CancellationToken ct) => throw new NotSupportedException();
    }

    private sealed class DownTarget : IFhirPushTarget
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<PushResult>> PushEntriesAsync(IReadOnlyList<LeasedItem> items, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<PushResult>>(items.Select(_ => PushResult.Transient("connection refused")).ToList());
        }

        public Task<PushResult> PushTransactionAsync(LeasedItem item, CancellationToken ct) => throw new NotSupportedException();
    }

    private static async Task<int> AuditCountAsync(SqliteOutboxStore store, CancellationToken ct) => (await store.ReadAuditAsync(0, 10_000, ct)).Count;

    private static async Task<int> ServerCountAsync(Uri baseUri) => (await ServerAuditEventsAsync(baseUri)).Count;

    private static async Task<List<JsonObject>> ServerAuditEventsAsync(Uri baseUri)
    {
        using var http = new HttpClient();
        var page = JsonNode.Parse(await http.GetStringAsync(new Uri(baseUri, "AuditEvent?_count=1000")))!;
        return (page["entry"]?.AsArray() ?? []).Select(e => e!["resource"]!.AsObject()).ToList();
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, ServiceProcess service, CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < until && !service.HasExited, service.Log);
            await Task.Delay(300, ct);
        }
    }
}
