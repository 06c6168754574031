using FhirIntrathecal.Service.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// Scans the inbox folder (on a timer, woken early by a FileSystemWatcher) and hands each settled entry to the
/// <see cref="InboxProcessor"/>, one at a time, oldest first. Names starting with '.' or ending in .tmp/.part are
/// skipped: writers should write under such a name and rename when complete.
/// </summary>
public sealed partial class InboxWatcher(InboxProcessor processor, InboxOptions options, TimeProvider time, ILogger<InboxWatcher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.Path);
        using var watcher = new FileSystemWatcher(options.Path) { IncludeSubdirectories = false, EnableRaisingEvents = true };
        watcher.Created += (_, _) => Wake();
        watcher.Renamed += (_, _) => Wake();
        LogWatching(logger, Path.GetFullPath(options.Path));
        while (!stoppingToken.IsCancellationRequested)
        {
            var waitMore = false;
            try
            {
                foreach (var entry in Candidates(out waitMore))
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    await processor.ProcessAsync(entry, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The entry stays in the inbox; what was already written is deduplicated when it is read again.
                break;
            }
#pragma warning disable CA1031 // A failing input (I/O, outbox unavailable) must not stop the service; it is retried next scan.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogScanFailed(logger, ex);
            }

            try
            {
                // Unsettled files are looked at again soon rather than after a full poll interval.
                var wait = waitMore ? options.SettleTime : options.PollInterval;
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private List<string> Candidates(out bool unsettled)
    {
        unsettled = false;
        var now = time.GetUtcNow().UtcDateTime;
        var done = Path.GetFullPath(processor.DonePath);
        var quarantine = Path.GetFullPath(processor.QuarantinePath);
        var ready = new List<(string Path, DateTime Written)>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(options.Path))
        {
            var name = Path.GetFileName(entry);
            var full = Path.GetFullPath(entry);
            if (name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
                || full == done || full == quarantine)
            {
                continue;
            }

            if (InboxEntryFilter.Refusal(entry) is { } refusal)
            {
                if (_skipped.Add(name))
                {
                    LogSkipped(logger, name, refusal);
                }

                continue;
            }

            var written = LastWrite(entry);
            if (now - written < options.SettleTime)
            {
                unsettled = true;
                continue;
            }

            ready.Add((entry, written));
        }

        return ready.OrderBy(r => r.Written).ThenBy(r => r.Path, StringComparer.Ordinal).Select(r => r.Path).ToList();
    }

    private static DateTime LastWrite(string entry) =>
        Directory.Exists(entry)
            ? Directory.EnumerateFiles(entry).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(Directory.GetLastWriteTimeUtc(entry)).Max()
            : File.GetLastWriteTimeUtc(entry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox entry {Name} skipped: it is {Reason}")]
    private static partial void LogSkipped(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching inbox {Path}")]
    private static partial void LogWatching(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox scan failed; retrying at the next scan")]
    private static partial void LogScanFailed(ILogger logger, Exception ex);
}
