using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Dispatch;

/// <summary>
/// Drains the outbox: N workers each lease a batch, push it, and record every item's fate in one local
/// transaction. On shutdown a worker finishes the push in flight (bounded by the request timeout) and records it;
/// anything not pushed keeps its row and is leased again after a restart.
/// </summary>
public sealed partial class Dispatcher(
    IOutboxStore store,
    IFhirPushTarget target,
    DispatcherOptions options,
    OutboxOptions outboxOptions,
    CircuitBreaker circuit,
    DispatcherStatus status,
    TimeProvider time,
    ILogger<Dispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Wakes idle workers early (new items were enqueued).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount < options.Concurrency)
        {
            _wake.Release();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, options.Concurrency).Select(i => Task.Run(() => WorkerAsync(i, stoppingToken), CancellationToken.None)).ToList();
        workers.Add(HeartbeatLoopAsync(stoppingToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
        await store.ReleaseLeasesAsync(status.InstanceId, CancellationToken.None).ConfigureAwait(false);
        await HeartbeatAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task WorkerAsync(int worker, CancellationToken stoppingToken)
    {
        var owner = status.InstanceId;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!circuit.TryEnter(out var wait))
                {
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var worked = await PushEntriesAsync(owner, stoppingToken).ConfigureAwait(false)
                    | await PushTransactionsAsync(owner, stoppingToken).ConfigureAwait(false);
                if (!worked)
                {
                    // Leasing nothing is not a probe result; let the next worker probe.
                    if (circuit.State == CircuitState.HalfOpen)
                    {
                        circuit.OnSuccess();
                    }

                    await _wake.WaitAsync(options.IdlePollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The outbox being briefly unavailable (locked, network) must not kill the worker.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogWorkerFailed(logger, worker, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> PushEntriesAsync(string owner, CancellationToken stoppingToken)
    {
        var items = await store.LeaseAsync(owner, options.BatchSize, OutboxItemKind.Entry, time.GetUtcNow(), outboxOptions.LeaseDuration, stoppingToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            return false;
        }

        // From here on the work is finished even when shutdown begins: it is bounded by the request timeout.
        var results = await target.PushEntriesAsync(items, CancellationToken.None).ConfigureAwait(false);
        if (items.Count > 1 && results.All(r => r.Kind == PushResultKind.Permanent && r.Location is null) && results.Select(r => r.Error).Distinct().Count() == 1)
        {
            // The server refused the batch as a whole (one bad entry can do that): find the culprit by sending each alone.
            LogBatchRefused(logger, items.Count, results[0].Error);
            results = await PushOneByOneAsync(items).ConfigureAwait(false);
        }

        await RecordAsync(owner, items, results).ConfigureAwait(false);
        return true;
    }

    private async Task<IReadOnlyList<PushResult>> PushOneByOneAsync(IReadOnlyList<LeasedItem> items)
    {
        var results = new List<PushResult>(items.Count);
        foreach (var item in items)
        {
            results.AddRange(await target.PushEntriesAsync([item], CancellationToken.None).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<bool> PushTransactionsAsync(string owner, CancellationToken stoppingToken)
    {
        var items = await store.LeaseAsync(owner, Math.Max(1, options.BatchSize / 10), OutboxItemKind.Transaction, time.GetUtcNow(), outboxOptions.LeaseDuration, stoppingToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            return false;
        }

        var results = new List<PushResult>(items.Count);
        foreach (var item in items)
        {
            if (stoppingToken.IsCancellationRequested || (results.Count > 0 && results[^1].Kind == PushResultKind.Transient))
            {
                // Stop early (shutdown, or the server just failed): the rest go back to pending untouched.
                results.Add(new PushResult(PushResultKind.Transient, null, null, null, "not attempted"));
                continue;
            }

            results.Add(await target.PushTransactionAsync(item, CancellationToken.None).ConfigureAwait(false));
        }

        await RecordAsync(owner, items, results).ConfigureAwait(false);
        return true;
    }

    private async Task RecordAsync(string owner, IReadOnlyList<LeasedItem> items, IReadOnlyList<PushResult> results)
    {
        var now = time.GetUtcNow();
        var records = new List<ItemResult>(items.Count);
        int delivered = 0, dead = 0, retried = 0;
        string? lastError = null;
        for (var i = 0; i < items.Count; i++)
        {
            var (item, r) = (items[i], results[i]);
            switch (r.Kind)
            {
                case PushResultKind.Delivered:
                    delivered++;
                    records.Add(new ItemResult(item.Id, ItemResultKind.Delivered, r.Status, r.Location, null, null));
                    break;
                case PushResultKind.Permanent:
                    dead++;
                    records.Add(new ItemResult(item.Id, ItemResultKind.Dead, r.Status, null, r.OutcomeJson, r.Error));
                    LogDeadLettered(logger, item.Id, item.CorrelationId, item.Source, r.Status, r.Error);
                    break;
                case PushResultKind.Transient when GiveUp(item, now) is { } reason:
                    // Retrying forever hides a problem; after MaxAttempts (or MaxItemAge) the item waits in dead-letter for a person.
                    dead++;
                    records.Add(new ItemResult(item.Id, ItemResultKind.Dead, r.Status, null, null, $"{reason}; last error: {r.Error}"));
                    LogDeadLettered(logger, item.Id, item.CorrelationId, item.Source, r.Status, reason);
                    break;
                default:
                    retried++;
                    lastError = r.Error;
                    records.Add(new ItemResult(item.Id, ItemResultKind.Retry, r.Status, null, null, r.Error, now + Backoff(item.Attempts)));
                    break;
            }
        }

        // Recording must not be cancelled by shutdown: a push whose result is lost would be pushed again (harmless, but avoidable).
        var applied = await store.RecordAsync(owner, records, now, CancellationToken.None).ConfigureAwait(false);
        if (applied < records.Count)
        {
            LogLeaseLost(logger, records.Count - applied);
        }

        status.Count(delivered, dead, retried, now);
        if (delivered + dead > 0)
        {
            circuit.OnSuccess();
        }
        else if (retried > 0 && circuit.OnTransientFailure())
        {
            LogCircuitOpened(logger, lastError);
        }

        if (retried > 0 && delivered + dead == 0)
        {
            LogRetrying(logger, retried, lastError);
        }

        // Last, and never in the way of the results or the circuit: a failed audit write is logged, not thrown.
        try
        {
            await store.AppendAuditAsync(records.Select(r => Audit(r, owner, now)).ToList(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException)
        {
            LogAuditFailed(logger, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>Why a transiently failing item is retried no more, or null to retry it.</summary>
    private string? GiveUp(LeasedItem item, DateTimeOffset now) =>
        item.Attempts >= options.MaxAttempts ? $"gave up after {item.Attempts} attempts (Adapter:Dispatcher:MaxAttempts)"
        : options.MaxItemAge is { } age && item.EnqueuedAt is { } at && now - at > age ? $"gave up after {(now - at).TotalHours:0.#} h in the outbox (Adapter:Dispatcher:MaxItemAge)"
        : null;

    /// <summary>The audit entry of one recorded result: who = this instance, what = the outbox item, outcome = its fate.</summary>
    private static AuditRecord Audit(ItemResult r, string owner, DateTimeOffset now) => r.Kind switch
    {
        ItemResultKind.Delivered => AuditTrail.Event(AuditAction.Delivery, true, owner, owner, now, $"outbox item {r.Id}", $"server answered {r.Status}"),
        ItemResultKind.Dead => AuditTrail.Event(AuditAction.DeadLetter, false, owner, owner, now, $"outbox item {r.Id}", r.Error),
        _ => AuditTrail.Event(AuditAction.Retry, false, owner, owner, now, $"outbox item {r.Id}", r.Error),
    };

    /// <summary>Exponential from the base delay, capped, with ±20% jitter so a backlog does not retry in lockstep.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.RetryMaxDelay.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter, not security.
        return TimeSpan.FromMilliseconds(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)));
#pragma warning restore CA5394
    }

    private async Task HeartbeatLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await HeartbeatAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(HeartbeatInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Health bookkeeping must never stop the service.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogWorkerFailed(logger, -1, ex);
                await Task.Delay(HeartbeatInterval, time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private Task HeartbeatAsync(CancellationToken ct) =>
        store.WriteHeartbeatAsync(new InstanceHeartbeat(status.InstanceId, circuit.State.ToString(), time.GetUtcNow(), status.LastSuccessAt), ct);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatcher worker {Worker} failed; continuing")]
    private static partial void LogWorkerFailed(ILogger logger, int worker, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entries could not be written ({Error}: {Reason})")]
    private static partial void LogAuditFailed(ILogger logger, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered item {ItemId} (correlation {CorrelationId}, {Source}): {Status} {Error}")]
    private static partial void LogDeadLettered(ILogger logger, long itemId, string correlationId, string source, int? status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} item(s) back to pending for a later retry: {Error}")]
    private static partial void LogRetrying(ILogger logger, int count, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit opened: the FHIR server keeps failing ({Error})")]
    private static partial void LogCircuitOpened(ILogger logger, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The batch of {Count} was refused as a whole ({Error}); sending its items one by one")]
    private static partial void LogBatchRefused(ILogger logger, int count, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} result(s) not recorded: the lease expired and another instance owns the item")]
    private static partial void LogLeaseLost(ILogger logger, int count);
}
