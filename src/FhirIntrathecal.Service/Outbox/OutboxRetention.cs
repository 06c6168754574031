using FhirIntrathecal.Service.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Outbox;

/// <summary>
/// The retention policy (<c>Adapter:Outbox:RetainDelivered</c>): delivered items, payloads included, are deleted once
/// older than the retention, so patient data does not stay in the outbox after the server has it. Pending, leased and
/// dead items are never touched.
/// </summary>
public sealed partial class OutboxRetention(IOutboxStore store, OutboxOptions options, TimeProvider time, ILogger<OutboxRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.RetainDelivered is not { } retain)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.RetentionInterval, time);
        do
        {
            try
            {
                var purged = await store.PurgeAsync(OutboxItemStatus.Delivered, time.GetUtcNow() - retain, stoppingToken).ConfigureAwait(false);
                if (purged > 0)
                {
                    LogPurged(logger, purged, retain);
                }
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException)
            {
                LogFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Count} delivered item(s) older than {Retain} purged")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed ({Error}); retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
