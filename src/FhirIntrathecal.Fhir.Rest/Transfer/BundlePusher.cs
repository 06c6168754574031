using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FhirIntrathecal.Fhir.IO;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirIntrathecal.Fhir.Rest.Transfer;

public sealed record PushOptions
{
    /// <summary>Resources per transaction when input is loose resources (NDJSON, collections).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Transactions in flight at once (the handler chain's concurrency limit still applies).</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Where a transaction that could not be sent is written, with its reason, to be pushed again later.</summary>
    public string ParkDirectory { get; init; } = "parked";
}

public sealed record PushProgress(int Units, int Parked, int Resources);

/// <summary>A transaction that was not accepted: the file holding it and why.</summary>
public sealed record ParkedUnit(string Source, string Reason, string Path);

public sealed record PushResult(
    int Units,
    int Succeeded,
    int ResourcesCreated,
    int ResourcesMatched,
    int ResourcesUpdated,
    IReadOnlyList<ParkedUnit> Parked,
    TimeSpan Elapsed)
{
    public int Resources => ResourcesCreated + ResourcesMatched + ResourcesUpdated;
}

/// <summary>
/// Sends transactions in parallel. Nothing is dropped: a transaction is either accepted (after the handler
/// chain's retries, for those safe to repeat) or parked on disk with the reason, and counted in the result.
/// </summary>
public sealed partial class BundlePusher(FhirClient client, PushOptions? options = null, ILogger<BundlePusher>? logger = null)
{
    private readonly FhirClient _client = client ?? throw new ArgumentNullException(nameof(client));
    private readonly ILogger _logger = logger ?? NullLogger<BundlePusher>.Instance;

    public PushOptions Options { get; } = options ?? new PushOptions();

    public Task<PushResult> PushAsync(IEnumerable<PushUnit> units, IProgress<PushProgress>? progress = null, CancellationToken ct = default) =>
        PushAsync(units.ToAsyncEnumerable(), progress, ct);

    public async Task<PushResult> PushAsync(IAsyncEnumerable<PushUnit> units, IProgress<PushProgress>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var parked = new ConcurrentQueue<ParkedUnit>();
        int total = 0, ok = 0, created = 0, matched = 0, updated = 0;
        await Parallel.ForEachAsync(
            units,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = ct },
            async (unit, token) =>
            {
                Interlocked.Increment(ref total);
                try
                {
                    var result = await _client.TransactionAsync(unit.Bundle, token).ConfigureAwait(false);
                    foreach (var e in result.Entries)
                    {
                        switch (e.Status, e.Method)
                        {
                            case (201, _):
                                Interlocked.Increment(ref created);
                                break;
                            case (200, "POST"):
                                Interlocked.Increment(ref matched);
                                break;
                            case (200, _):
                                Interlocked.Increment(ref updated);
                                break;
                        }
                    }

                    Interlocked.Increment(ref ok);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    parked.Enqueue(await ParkAsync(unit, ex).ConfigureAwait(false));
                }

                progress?.Report(new PushProgress(Volatile.Read(ref total), parked.Count, Volatile.Read(ref created) + Volatile.Read(ref matched) + Volatile.Read(ref updated)));
            }).ConfigureAwait(false);

        return new PushResult(total, ok, created, matched, updated, parked.OrderBy(p => p.Source, StringComparer.Ordinal).ToList(), sw.Elapsed);
    }

    private async Task<ParkedUnit> ParkAsync(PushUnit unit, Exception ex)
    {
        var safe = BundleResult.IsSafeToRepeat(unit.Bundle);
        var reason = new StringBuilder()
            .Append(ex.GetType().Name).Append(": ").Append(ex.Message)
            .Append(safe ? string.Empty : " [not retried automatically: the transaction has a POST without If-None-Exist, so a repeat could duplicate]");
        // A unique name per parked unit: two failed files with the same name park side by side, neither overwritten.
        string path;
        var bundle = SafeFileNames.CreateUnique(Options.ParkDirectory, unit.Source, ".json");
        await using (bundle.ConfigureAwait(false))
        {
            path = bundle.Name;
            await bundle.WriteAsync(FhirJsonSerializer.SerializeToUtf8Bytes(unit.Bundle)).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(Path.ChangeExtension(path, ".reason.txt"), reason.ToString()).ConfigureAwait(false);
        LogParked(_logger, unit.Source, path, ex.Message);
        return new ParkedUnit(unit.Source, reason.ToString(), path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {Source} parked at {Path}: {Reason}")]
    private static partial void LogParked(ILogger logger, string source, string path, string reason);
}
