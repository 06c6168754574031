using FhirIntrathecal.Service.Dispatch;
using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Health;

/// <summary>What `GET /health` and `fhir-intrathecal health` answer. No configuration values, so no secrets.</summary>
public sealed record HealthReport(
    string Status,
    long OutboxDepth,
    long Leased,
    long Delivered,
    long DeadLetters,
    double? OldestPendingAgeSeconds,
    DateTimeOffset? LastSuccessAt,
    string Circuit,
    IReadOnlyList<InstanceHeartbeat> Instances)
{
    /// <summary>
    /// From the outbox (shared by every instance) plus this process's dispatcher when there is one; without one
    /// (the CLI), circuit and last success come from the freshest instance heartbeat. Degraded: no instance heartbeats,
    /// the circuit is not closed, or work is pending and nothing was delivered for <paramref name="stalledAfter"/>
    /// (Adapter:Dispatcher:StalledAfter; counted from the oldest pending item when nothing was ever delivered).
    /// </summary>
    public static async Task<HealthReport> BuildAsync(IOutboxStore store, DispatcherStatus? local, TimeProvider time, CancellationToken ct, TimeSpan? stalledAfter = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var stats = await store.GetStatsAsync(ct).ConfigureAwait(false);
        var instances = await store.ReadHeartbeatsAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var fresh = instances.Where(i => now - i.UpdatedAt < TimeSpan.FromSeconds(30)).ToList();
        var circuit = local?.Circuit.ToString() ?? fresh.FirstOrDefault()?.Circuit ?? "unknown (no running instance)";
        var lastSuccess = new[] { local?.LastSuccessAt, stats.LastDeliveredAt }.Max();
        var oldest = stats.OldestPendingCreatedAt is { } o ? (now - o).TotalSeconds : (double?)null;
        var pending = stats.Pending + stats.Leased > 0;
        var sinceProgress = lastSuccess is { } last ? (now - last).TotalSeconds : oldest;
        var stalled = pending && sinceProgress > (stalledAfter ?? Options.DispatcherOptionsDefaults.StalledAfter).TotalSeconds;
        var status = circuit != nameof(CircuitState.Closed) || stalled ? "degraded" : stats.Dead > 0 ? "attention" : "ok";
        return new HealthReport(status, stats.Pending + stats.Leased, stats.Leased, stats.Delivered, stats.Dead, oldest, lastSuccess, circuit, instances);
    }
}
