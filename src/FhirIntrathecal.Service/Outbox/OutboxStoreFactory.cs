using FhirIntrathecal.Service.Options;

namespace FhirIntrathecal.Service.Outbox;

public static class OutboxStoreFactory
{
    public static IOutboxStore Create(OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            OutboxProvider.Sqlite => new SqliteOutboxStore(options.Path),
            OutboxProvider.Postgres => new PostgresOutboxStore(options.ConnectionString!),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown outbox provider."),
        };
    }
}
