using System.Data.Common;
using Npgsql;

namespace FhirIntrathecal.Service.Outbox;

/// <summary>
/// The shared outbox for several adapter instances. Leasing uses <c>FOR UPDATE SKIP LOCKED</c>, so concurrent
/// dispatchers take disjoint items without waiting on each other; a lease that expires (its instance died) makes
/// the item due again for anyone. Results are recorded only by the current lease owner (a fencing check).
/// </summary>
public sealed class PostgresOutboxStore : SqlOutboxStore
{
    // Serialises concurrent CREATE TABLE IF NOT EXISTS from instances starting together (it races on pg_type otherwise).
    private const long SchemaLockKey = 0x4648_4952_4f42_5831;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresOutboxStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    protected override string LeaseSql => $"""
        WITH due AS (
            SELECT id FROM outbox_items
            WHERE kind = @kind AND ((status = 0 AND next_attempt_at <= @now) OR (status = 1 AND lease_until < @now))
            ORDER BY id LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE outbox_items o SET status = 1, lease_owner = @owner, lease_until = @until, attempts = o.attempts + 1
        FROM due WHERE o.id = due.id
        RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "o." + c))}
        """;

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(connection, tx, $"""
            SELECT pg_advisory_xact_lock({SchemaLockKey});
            CREATE TABLE IF NOT EXISTS outbox_items (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                content_hash TEXT NOT NULL UNIQUE,
                kind BIGINT NOT NULL,
                method TEXT NOT NULL,
                url TEXT NOT NULL,
                if_none_exist TEXT NULL,
                payload BYTEA NOT NULL,
                source TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                status BIGINT NOT NULL DEFAULT 0,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                lease_owner TEXT NULL,
                lease_until BIGINT NULL,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT NULL,
                server_status BIGINT NULL,
                server_location TEXT NULL,
                last_error TEXT NULL,
                outcome TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox_items (kind, status, next_attempt_at);
            CREATE INDEX IF NOT EXISTS ix_outbox_status ON outbox_items (status, id);
            CREATE TABLE IF NOT EXISTS outbox_audit (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                recorded_at BIGINT NOT NULL,
                action TEXT NOT NULL,
                success BIGINT NOT NULL,
                who TEXT NOT NULL,
                event TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS outbox_instances (
                instance_id TEXT PRIMARY KEY,
                circuit TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                last_success_at BIGINT NULL);
            CREATE TABLE IF NOT EXISTS outbox_cursors (
                name TEXT PRIMARY KEY,
                position BIGINT NOT NULL);
            """);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
