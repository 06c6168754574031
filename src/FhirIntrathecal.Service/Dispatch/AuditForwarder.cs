using System.Security.Cryptography;
using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Dispatch;

/// <summary>
/// Copies the audit trail to the FHIR server (Audit:PushToServer): reads the store's AuditEvents after a durable cursor,
/// PUTs them in batch Bundles under stable ids, and moves the cursor past what the server took. The store stays the
/// record: a failed push is retried on the next tick, a server that refuses an AuditEvent outright gets a warning and
/// the cursor moves on. Two instances may push the same events; stable ids make the second push an update of
/// identical content, and the compare-and-set cursor lets only one move it. Its own pushes are not audited (that
/// would feed itself).
/// </summary>
public sealed partial class AuditForwarder(
    IOutboxStore store,
    IFhirPushTarget target,
    AuditOptions options,
    TimeProvider time,
    ILogger<AuditForwarder> logger) : BackgroundService
{
    public const string CursorName = "audit-forwarded";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ForwardOnceAsync(stoppingToken).ConfigureAwait(false) == options.PushBatchSize)
                {
                    // A full batch: there may be more right away.
                }

                await Task.Delay(options.PushInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The audit copy must never stop the adapter; the store keeps every event.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogForwardFailed(logger, ex.GetType().Name);
                await Task.Delay(options.PushInterval, time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One batch: returns how many events the cursor moved past (0 when none were due or the server failed).</summary>
    public async Task<int> ForwardOnceAsync(CancellationToken ct)
    {
        var from = await store.ReadCursorAsync(CursorName, ct).ConfigureAwait(false);
        var events = await store.ReadAuditAsync(from, options.PushBatchSize, ct).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return 0;
        }

        // An entry that is not readable FHIR (a damaged row) is refused here for good, so it cannot hold back the rest;
        // it stays in the store, as every refused entry does.
        var items = events.Select(Item).ToList();
        var pushed = await target.PushEntriesAsync(items.OfType<LeasedItem>().ToList(), ct).ConfigureAwait(false);
        var next = 0;
        var results = items.Select(i => i is null ? Unreadable : pushed[next++]).ToList();
        // Move past the leading run of settled events (delivered, or refused for good); stop at the first transient failure.
        var settled = 0;
        while (settled < results.Count && results[settled].Kind != PushResultKind.Transient)
        {
            if (results[settled].Kind == PushResultKind.Permanent)
            {
                LogRefused(logger, events[settled].Id, results[settled].Status, results[settled].Error);
            }

            settled++;
        }

        if (settled == 0)
        {
            LogRetryLater(logger, results[0].Error);
            return 0;
        }

        await store.AdvanceCursorAsync(CursorName, from, events[settled - 1].Id, ct).ConfigureAwait(false);
        return settled;
    }

    /// <summary>The AuditEvent as a PUT under an id fixed by its row and content, so every push of it is the same resource.</summary>
    public static string StableId(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{record.Id}\n{record.EventJson}"));
        return "fi-audit-" + Convert.ToHexStringLower(hash)[..40];
    }

    private static readonly PushResult Unreadable = new(PushResultKind.Permanent, null, null, null, "the stored entry is not a readable AuditEvent");

    /// <summary>The entry as a PUT of its AuditEvent under its stable id; null when the stored JSON is not one.</summary>
    private static LeasedItem? Item(AuditRecord record)
    {
        // Read strictly (as all FHIR input) and written back by our serializer: only the id changes.
        if (FhirJsonParser.Parse(Encoding.UTF8.GetBytes(record.EventJson)) is not { Success: true, Value: AuditEvent audit })
        {
            return null;
        }

        var id = StableId(record);
        audit.Id = id;
        return new LeasedItem(record.Id, OutboxItemKind.Entry, "PUT", $"AuditEvent/{id}", null, FhirJsonSerializer.SerializeToUtf8Bytes(audit), "audit", id, 1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit forwarding failed ({Error}); the events stay in the outbox store and are retried")]
    private static partial void LogForwardFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The FHIR server refused audit entry {AuditId} ({Status}: {Error}); it stays in the outbox store only")]
    private static partial void LogRefused(ILogger logger, long auditId, int? status, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit forwarding paused: {Error}; retried on the next tick")]
    private static partial void LogRetryLater(ILogger logger, string? error);
}
