using FhirIntrathecal.Service.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Outbox;

/// <summary>
/// Runs first at start: creates the outbox schema and, for SQLite, takes the single-instance lock file and gives
/// back the leases a killed predecessor left (nobody else can hold them). PostgreSQL leases are left to expire,
/// because other live instances may own them.
/// </summary>
public sealed partial class OutboxInitializer(IOutboxStore store, OutboxOptions options, ILogger<OutboxInitializer> logger) : IHostedService, IDisposable
{
    private FileStream? _lock;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Provider == OutboxProvider.Sqlite)
        {
            var full = Path.GetFullPath(options.Path);
            if (SqliteOutboxStore.CheckIntegrity(full) is { } damaged)
            {
                throw new InvalidOperationException(damaged);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            try
            {
                _lock = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException(
                    $"The SQLite outbox '{full}' is in use by another adapter process. Run one instance per SQLite outbox, or share a PostgreSQL outbox (Adapter:Outbox:Provider=Postgres).", ex);
            }
        }

        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (options.Provider == OutboxProvider.Sqlite)
        {
            var released = await store.ReleaseLeasesAsync(null, cancellationToken).ConfigureAwait(false);
            if (released > 0)
            {
                LogReleased(logger, released);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} item(s) leased by a previous run that did not stop cleanly are pending again")]
    private static partial void LogReleased(ILogger logger, int count);
}
