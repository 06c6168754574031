using System.Diagnostics;
using System.Text;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Exchange.FhirInput;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>The result of taking one input: items new in the outbox, items already there, errors, where the input went.</summary>
public sealed record InboxFileResult(string Name, int Added, int Duplicates, IReadOnlyList<Diagnostic> Errors, string MovedTo);

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
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        var errorCount = 0;
        int added = 0, total = 0;
        var chunk = new List<NewOutboxItem>(options.ChunkSize);

        IAsyncEnumerable<InputRecord> records;
        if (Directory.Exists(path))
        {
            records = RegistryFolderReader.IsRegistryFolder(path)
                ? registryReader.ReadAsync(path, correlationId, ct)
                : Single(InputRecord.Failed(DiagnosticCatalog.InboxUnknownFolder.At(name, 0, 0)));
        }
        else if (FhirFileReader.Handles(path) && !FhirInputReader.IsNdjson(path) && new FileInfo(path).Length > options.MaxItemBytes)
        {
            // A .json/.xml file is one item (a resource or a Bundle) read whole: refuse it before reading, not after.
            records = Single(InputRecord.Failed(TooLarge(name, 0, new FileInfo(path).Length)));
        }
        else if (FhirFileReader.Handles(path))
        {
            records = fhirReader.ReadAsync(path, correlationId, ct);
        }
        else
        {
            records = Single(InputRecord.Failed(DiagnosticCatalog.InboxUnknownFormat.At(name, 0, 0)));
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
                    errors.Add(TooLarge(record.File.Length > 0 ? record.File : name, record.Line, item.Payload.Length));
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

    /// <summary>An item over the cap, located at its record's file and line.</summary>
    private Diagnostic TooLarge(string file, int line, long bytes) =>
        DiagnosticCatalog.InboxItemTooLarge.At(file, line, 0, $"{bytes} bytes, limit {options.MaxItemBytes}");

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

    private static string Report(string name, string correlationId, List<Diagnostic> errors, int errorCount, int added, int total)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {name}: {errorCount} finding(s); correlation id {correlationId}");
        sb.AppendLine($"# {total} record item(s) were valid and are in the outbox ({added} new); fix the errors and drop the file again: items already sent are not sent twice.");
        sb.AppendLine("# file:line:column: severity code: message (at element path) [record]");
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
