using FhirIntrathecal.Service.Health;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>`health` is degraded when no instance heartbeats, and when work waits with nothing delivered for Dispatcher:StalledAfter.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Pending_work_with_no_delivery_for_StalledAfter_is_degraded_and_fresh_work_is_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = TestData.TempDir("health");
        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        await store.InitializeAsync(ct);
        var now = DateTimeOffset.UtcNow;

        // No heartbeat at all: nobody is working.
        Assert.Equal("degraded", (await HealthReport.BuildAsync(store, null, TimeProvider.System, ct)).Status);

        await store.WriteHeartbeatAsync(new InstanceHeartbeat("a", "Closed", now, null), ct);
        Assert.Equal("ok", (await HealthReport.BuildAsync(store, null, TimeProvider.System, ct)).Status);

        // An item waiting 20 minutes, nothing ever delivered.
        await store.EnqueueAsync([new NewOutboxItem(OutboxItemKind.Entry, "POST", "Patient", null, "{\"resourceType\":\"Patient\"}"u8.ToArray(), "k1", "test", "c1")], now.AddMinutes(-20), ct);
        Assert.Equal("degraded", (await HealthReport.BuildAsync(store, null, TimeProvider.System, ct, TimeSpan.FromMinutes(10))).Status);
        Assert.Equal("ok", (await HealthReport.BuildAsync(store, null, TimeProvider.System, ct, TimeSpan.FromMinutes(30))).Status);
        Directory.Delete(work, recursive: true);
    }
}
