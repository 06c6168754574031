namespace FhirIntrathecal.Service.Outbox;

/// <summary>
/// The durable outbox. Every method is one local transaction. Times are passed in by the caller (a
/// <see cref="TimeProvider"/>) so stores and tests agree on "now".
/// </summary>
public interface IOutboxStore : IAsyncDisposable
{
    /// <summary>Creates tables and indexes if missing. Safe to call from several instances at once.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>Writes items in one transaction; items whose content hash is already present are skipped. Returns how many were new.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<NewOutboxItem> items, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Leases up to <paramref name="max"/> items that are due (pending and past their retry time, or leased by an
    /// instance whose lease expired), oldest first, of one kind. No item is leased to two owners at once.
    /// </summary>
    Task<IReadOnlyList<LeasedItem>> LeaseAsync(string owner, int max, OutboxItemKind kind, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken ct);

    /// <summary>
    /// Records the outcome of pushes in one transaction: delivered (server status and location), dead (parked with
    /// the server's OperationOutcome) or retry (pending again at a later time). A result is applied only while
    /// <paramref name="owner"/> still holds the lease; returns how many were applied.
    /// </summary>
    Task<int> RecordAsync(string owner, IReadOnlyList<ItemResult> results, DateTimeOffset now, CancellationToken ct);

    /// <summary>Gives back every lease of <paramref name="owner"/> (graceful stop), or of everyone when null (single-instance start).</summary>
    Task<int> ReleaseLeasesAsync(string? owner, CancellationToken ct);

    Task<OutboxStats> GetStatsAsync(CancellationToken ct);

    Task<IReadOnlyList<OutboxRow>> ListAsync(OutboxItemStatus? status, int limit, CancellationToken ct);

    /// <summary>Dead items (one id, or all when null) back to pending with a fresh retry count. Returns how many.</summary>
    Task<int> RetryDeadAsync(long? id, DateTimeOffset now, CancellationToken ct);

    /// <summary>Deletes items in <paramref name="status"/> (Dead or Delivered), optionally only those older than <paramref name="before"/>.</summary>
    Task<int> PurgeAsync(OutboxItemStatus status, DateTimeOffset? before, CancellationToken ct);

    Task WriteHeartbeatAsync(InstanceHeartbeat heartbeat, CancellationToken ct);

    /// <summary>Appends audit entries (AuditTrail) in one transaction.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct);

    /// <summary>Audit entries after <paramref name="afterId"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(long afterId, int limit, CancellationToken ct);

    Task<IReadOnlyList<InstanceHeartbeat>> ReadHeartbeatsAsync(CancellationToken ct);

    /// <summary>A named position (e.g. the last audit entry forwarded to the FHIR server); 0 when never set.</summary>
    Task<long> ReadCursorAsync(string name, CancellationToken ct);

    /// <summary>Moves a cursor from <paramref name="from"/> to <paramref name="to"/> only if it still is at <paramref name="from"/>; false when another instance moved it first.</summary>
    Task<bool> AdvanceCursorAsync(string name, long from, long to, CancellationToken ct);
}
