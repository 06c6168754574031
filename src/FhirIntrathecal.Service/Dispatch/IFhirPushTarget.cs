using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Dispatch;

public enum PushResultKind
{
    /// <summary>The server applied it (created, or found the conditional match).</summary>
    Delivered,

    /// <summary>The server refused the content (4xx): sending it again cannot help; park it.</summary>
    Permanent,

    /// <summary>No answer, 5xx, 408/429, 401/403: the item stays in the outbox and is retried later.</summary>
    Transient,
}

public sealed record PushResult(PushResultKind Kind, int? Status, string? Location, string? OutcomeJson, string? Error)
{
    public static PushResult Transient(string error, int? status = null) => new(PushResultKind.Transient, status, null, null, error);
}

/// <summary>
/// Where the dispatcher sends items. Single-resource items go together in a batch Bundle (each entry stands alone);
/// a transaction item goes as its own transaction. Implementations classify every answer; they do not throw for
/// server or network failures.
/// </summary>
public interface IFhirPushTarget
{
    /// <summary>One result per item, in order. When the whole request failed, every item carries that failure.</summary>
    Task<IReadOnlyList<PushResult>> PushEntriesAsync(IReadOnlyList<LeasedItem> items, CancellationToken ct);

    Task<PushResult> PushTransactionAsync(LeasedItem item, CancellationToken ct);
}
