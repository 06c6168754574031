namespace FhirIntrathecal.Service.Outbox;

/// <summary>How an item is sent: one entry of a batch Bundle, or a whole transaction Bundle of its own.</summary>
public enum OutboxItemKind
{
    Entry = 0,
    Transaction = 1,
}

public enum OutboxItemStatus
{
    Pending = 0,
    Leased = 1,
    Delivered = 2,
    Dead = 3,
}

/// <summary>
/// One unit of work as read from an input. <see cref="ContentHash"/> is unique in the outbox: writing the same
/// item again (a file re-read after a crash) is a no-op.
/// </summary>
/// <param name="Method">POST (conditional create when <paramref name="IfNoneExist"/> is set) or PUT; empty for transactions.</param>
/// <param name="Url">Request URL relative to the FHIR base (Patient, Patient/123); empty for transactions.</param>
/// <param name="Payload">UTF-8 FHIR JSON: the resource, or the transaction Bundle.</param>
/// <param name="Source">file:line (or intake request) for reports.</param>
public sealed record NewOutboxItem(
    OutboxItemKind Kind,
    string Method,
    string Url,
    string? IfNoneExist,
    ReadOnlyMemory<byte> Payload,
    string ContentHash,
    string Source,
    string CorrelationId);

/// <summary>An item leased to one dispatcher worker; only that lease owner may record its result.</summary>
public sealed record LeasedItem(
    long Id,
    OutboxItemKind Kind,
    string Method,
    string Url,
    string? IfNoneExist,
    byte[] Payload,
    string Source,
    string CorrelationId,
    int Attempts,
    DateTimeOffset? EnqueuedAt = null);

public enum ItemResultKind
{
    Delivered,
    Dead,
    Retry,
}

/// <summary>What became of one pushed item.</summary>
/// <param name="Status">The server's HTTP status for the item (entry status inside a batch), when it answered.</param>
/// <param name="Location">Type/id/_history/vid for entries; for transactions the locations of all entries, one per line.</param>
/// <param name="OutcomeJson">The server's OperationOutcome for a rejection.</param>
/// <param name="RetryAt">When a retry is due (Kind = Retry).</param>
public sealed record ItemResult(long Id, ItemResultKind Kind, int? Status, string? Location, string? OutcomeJson, string? Error, DateTimeOffset? RetryAt = null);

/// <summary>A row as the outbox commands show it.</summary>
public sealed record OutboxRow(
    long Id,
    OutboxItemStatus Status,
    OutboxItemKind Kind,
    string Method,
    string Url,
    string Source,
    string CorrelationId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    int? ServerStatus,
    string? ServerLocation,
    string? LeaseOwner,
    string? LastError,
    string? Outcome);

public sealed record OutboxStats(
    long Pending,
    long Leased,
    long Delivered,
    long Dead,
    DateTimeOffset? OldestPendingCreatedAt,
    DateTimeOffset? LastDeliveredAt);

/// <summary>What a dispatcher instance last said about itself (so `health` can show circuit state from another process).</summary>
public sealed record InstanceHeartbeat(string InstanceId, string Circuit, DateTimeOffset UpdatedAt, DateTimeOffset? LastSuccessAt);
