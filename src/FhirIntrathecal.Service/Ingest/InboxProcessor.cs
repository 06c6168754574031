using System.Diagnostics;
using System.Text;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>The result of taking one input: items new in the outbox, items already there, errors, where the input went.</summary>
public sealed record InboxFileResult(string Name, int Added, int Duplicates, IReadOnlyList<InputError> Errors, string MovedTo);

/// <summary>
/// Reads one inbox entry (file or registry folder) into the outbox in chunks, each chunk one local transaction, and
/// only then moves it to done/ (or quarantine/ with an error report when any record failed). A crash before the
/// move means the entry is read again; its items are already in the outbox under the same content hash, so the
/// re-read adds nothing.
/// </summary>
public sealed partial class InboxProcessor(
    IOutboxStore store,
    FhirFileReader fhirReader,
    RegistryFolderReader registryReader,
    InboxOptions options,
    TimeProvider time,
    ILogger<InboxProcessor> logger)
{
    /// <summary>Errors kept for the report; a file with millions of bad lines must not exhaust memory.</summary>
    private const int MaxReportedErrors = 1000;

    public string DonePath => options.DonePath ?? Path.Combine(options.Path, "done");

    public string QuarantinePath => options.QuarantinePath ?? Path.Combine(options.Path, "quarantine");

    /// <summary>Raised after every durable chunk, so the dispatcher can start without waiting for a poll.</summary>
    public event EventHandler? ItemsEnqueued;

    public async Task<InboxFileResult> ProcessAsync(string path, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        var correlationId = NewCorrelationId();
        using var scope = logger.BeginScope("Input {Input} CorrelationId {CorrelationId}", name, correlationId);
        var started = Stopwatch.GetTimestamp();
        var errors = new List<InputError>();
        var warnings = new List<InputError>();
        var errorCount = 0;
        int added = 0, total = 0;
        var chunk = new List<NewOutboxItem>(options.ChunkSize);

        IAsyncEnumerable<InputRecord> records;
        if (Directory.Exists(path))
        {
            records = RegistryFolderReader.IsRegistryFolder(path)
                ? registryReader.ReadAsync(path, correlationId, ct)
                : Single(InputRecord.Failed(new InputError(name, 0, 0, string.Empty, "INBOX_UNKNOWN_FOLDER", "a folder in the inbox must be a registry export holding patients.csv and administrations.csv, or registry.json")));
        }
        else if (FhirFileReader.Handles(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && new FileInfo(path).Length > options.MaxItemBytes)
        {
            // A .json file is one item (a resource or a Bundle) read whole: refuse it before reading, not after.
            records = Single(InputRecord.Failed(TooLarge(name, new FileInfo(path).Length)));
        }
        else if (FhirFileReader.Handles(path))
        {
            records = fhirReader.ReadAsync(path, correlationId, ct);
        }
        else
        {
            records = Single(InputRecord.Failed(new InputError(name, 0, 0, string.Empty, "INBOX_UNKNOWN_FORMAT", "not a FHIR .json/.ndjson file or a registry folder (patients.csv + administrations.csv, or registry.json)")));
        }

        await foreach (var record in records.ConfigureAwait(false))
        {
            errorCount += record.Errors.Count;
            warnings.AddRange(record.Warnings.Take(MaxReportedErrors - warnings.Count));
            if (errors.Count < MaxReportedErrors)
            {
                errors.AddRange(record.Errors.Take(MaxReportedErrors - errors.Count));
            }

            foreach (var item in record.Items)
            {
                if (item.Payload.Length > options.MaxItemBytes)
                {
                    errorCount++;
                    errors.Add(TooLarge(item.Source, item.Payload.Length));
                    continue;
                }

                chunk.Add(item);
                if (chunk.Count >= options.ChunkSize)
                {
                    added += await FlushAsync(chunk, ct).ConfigureAwait(false);
                    total += options.ChunkSize;
                }
            }
        }

        total += chunk.Count;
        added += await FlushAsync(chunk, ct).ConfigureAwait(false);

        // Everything readable is durable now; only from here may the input leave the inbox.
        string movedTo;
        if (errorCount == 0)
        {
            movedTo = Move(path, DonePath);
            if (warnings.Count > 0)
            {
                await File.WriteAllTextAsync(movedTo + ".warnings.txt", Report(name, correlationId, warnings, warnings.Count, added, total), Encoding.UTF8, ct).ConfigureAwait(false);
            }

            LogDone(logger, name, added, total - added, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            movedTo = Move(path, QuarantinePath);
            await File.WriteAllTextAsync(movedTo + ".errors.txt", Report(name, correlationId, [.. errors, .. warnings], errorCount + warnings.Count, added, total), Encoding.UTF8, ct).ConfigureAwait(false);
            LogQuarantined(logger, name, errorCount, added, errors[0].ToString());
        }

        return new InboxFileResult(name, added, total - added, errors, movedTo);
    }

    /// <summary>An item over the cap, located at its file and line (an item's source is "file" or "file:line").</summary>
    private InputError TooLarge(string source, long bytes)
    {
        var colon = source.LastIndexOf(':');
        var (file, line) = colon > 0 && long.TryParse(source.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var n) ? (source[..colon], n) : (source, 0L);
        return new(file, line, 0, string.Empty, "INBOX_ITEM_TOO_LARGE", $"{bytes} bytes, over Adapter:Inbox:MaxItemBytes ({options.MaxItemBytes}); split it or raise the limit");
    }

    private async Task<int> FlushAsync(List<NewOutboxItem> chunk, CancellationToken ct)
    {
        if (chunk.Count == 0)
        {
            return 0;
        }

        var n = await store.EnqueueAsync(chunk, time.GetUtcNow(), ct).ConfigureAwait(false);
        chunk.Clear();
        ItemsEnqueued?.Invoke(this, EventArgs.Empty);
        return n;
    }

    private static string Report(string name, string correlationId, List<InputError> errors, int errorCount, int added, int total)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {name}: {errorCount} finding(s); correlation id {correlationId}");
        sb.AppendLine($"# {total} record item(s) were valid and are in the outbox ({added} new); fix the errors and drop the file again: items already sent are not sent twice.");
        sb.AppendLine("# file:line:column: code: message (at element path)");
        foreach (var e in errors)
        {
            sb.AppendLine(e.ToString());
        }

        if (errorCount > errors.Count)
        {
            sb.AppendLine($"# ... {errorCount - errors.Count} more");
        }

        return sb.ToString();
    }

    /// <summary>Moves into <paramref name="folder"/>, adding a timestamp when the name is taken (same file dropped twice).</summary>
    private string Move(string path, string folder)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(path));
        if (File.Exists(target) || Directory.Exists(target))
        {
            var stamp = time.GetUtcNow().ToString("yyyyMMddTHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(path)}.{stamp}{Path.GetExtension(path)}");
        }

        if (Directory.Exists(path))
        {
            Directory.Move(path, target);
        }
        else
        {
            File.Move(path, target);
        }

        return target;
    }

    internal static string NewCorrelationId() => Guid.NewGuid().ToString("N")[..12];

    private static async IAsyncEnumerable<InputRecord> Single(InputRecord record)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return record;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Took {Input}: {Added} new item(s) in the outbox, {Duplicates} already there, in {ElapsedMs:0} ms")]
    private static partial void LogDone(ILogger logger, string input, int added, int duplicates, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {Input}: {Errors} error(s), {Added} valid item(s) queued; first: {First}")]
    private static partial void LogQuarantined(ILogger logger, string input, int errors, int added, string first);
}
