using System.Data;
using System.Data.Common;

namespace FhirIntrathecal.Service.Outbox;

/// <summary>
/// The outbox over ADO.NET: the SQL both SQLite and PostgreSQL understand (ON CONFLICT, RETURNING) lives here;
/// a subclass supplies the connection, the DDL and the lease query, where the two differ. Times are Unix milliseconds.
/// </summary>
public abstract class SqlOutboxStore : IOutboxStore
{
    protected const string Columns =
        "id, kind, method, url, if_none_exist, payload, source, correlation_id, attempts, created_at";

    private const string RowColumns =
        "id, status, kind, method, url, source, correlation_id, attempts, created_at, delivered_at, server_status, server_location, lease_owner, last_error, outcome";

    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>CREATE TABLE/INDEX IF NOT EXISTS; must be safe when several processes run it at once.</summary>
    protected abstract Task CreateSchemaAsync(DbConnection connection, CancellationToken ct);

    /// <summary>The lease statement: parameters @kind, @now, @max, @owner, @until; returns <see cref="Columns"/>.</summary>
    protected abstract string LeaseSql { get; }

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await CreateSchemaAsync(c, ct).ConfigureAwait(false);
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<NewOutboxItem> items, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return 0;
        }

        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, tx, """
            INSERT INTO outbox_items (content_hash, kind, method, url, if_none_exist, payload, source, correlation_id, status, attempts, next_attempt_at, created_at)
            VALUES (@hash, @kind, @method, @url, @ine, @payload, @source, @corr, 0, 0, @now, @now)
            ON CONFLICT (content_hash) DO NOTHING
            """);
        var hash = Add(cmd, "hash", null);
        var kind = Add(cmd, "kind", null);
        var method = Add(cmd, "method", null);
        var url = Add(cmd, "url", null);
        var ine = Add(cmd, "ine", null);
        var payload = Add(cmd, "payload", null);
        var source = Add(cmd, "source", null);
        var corr = Add(cmd, "corr", null);
        Add(cmd, "now", now.ToUnixTimeMilliseconds());
        var added = 0;
        foreach (var item in items)
        {
            hash.Value = item.ContentHash;
            kind.Value = (long)item.Kind;
            method.Value = item.Method;
            url.Value = item.Url;
            ine.Value = (object?)item.IfNoneExist ?? DBNull.Value;
            payload.Value = item.Payload.ToArray();
            source.Value = item.Source;
            corr.Value = item.CorrelationId;
            added += await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return added;
    }

    public async Task<IReadOnlyList<LeasedItem>> LeaseAsync(string owner, int max, OutboxItemKind kind, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, tx, LeaseSql);
        Add(cmd, "kind", (long)kind);
        Add(cmd, "now", now.ToUnixTimeMilliseconds());
        Add(cmd, "max", (long)max);
        Add(cmd, "owner", owner);
        Add(cmd, "until", (now + leaseDuration).ToUnixTimeMilliseconds());
        var items = new List<LeasedItem>();
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                items.Add(new LeasedItem(
                    Long(r, 0), (OutboxItemKind)Long(r, 1), r.GetString(2), r.GetString(3), NullableString(r, 4),
                    r.GetFieldValue<byte[]>(5), r.GetString(6), r.GetString(7), (int)Long(r, 8), DateTimeOffset.FromUnixTimeMilliseconds(Long(r, 9))));
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        items.Sort((a, b) => a.Id.CompareTo(b.Id));
        return items;
    }

    public async Task<int> RecordAsync(string owner, IReadOnlyList<ItemResult> results, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(results);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var delivered = Command(c, tx, """
            UPDATE outbox_items SET status = 2, delivered_at = @now, server_status = @status, server_location = @location,
                   lease_until = NULL, last_error = NULL
            WHERE id = @id AND status = 1 AND lease_owner = @owner
            """);
        await using var dead = Command(c, tx, """
            UPDATE outbox_items SET status = 3, server_status = @status, outcome = @outcome, last_error = @error,
                   lease_until = NULL, next_attempt_at = @now
            WHERE id = @id AND status = 1 AND lease_owner = @owner
            """);
        await using var retry = Command(c, tx, """
            UPDATE outbox_items SET status = 0, next_attempt_at = @at, server_status = @status, last_error = @error,
                   lease_owner = NULL, lease_until = NULL
            WHERE id = @id AND status = 1 AND lease_owner = @owner
            """);
        var applied = 0;
        foreach (var r in results)
        {
            var cmd = r.Kind switch { ItemResultKind.Delivered => delivered, ItemResultKind.Dead => dead, _ => retry };
            cmd.Parameters.Clear();
            Add(cmd, "id", r.Id);
            Add(cmd, "owner", owner);
            Add(cmd, "status", r.Status is { } s ? (long)s : null);
            switch (r.Kind)
            {
                case ItemResultKind.Delivered:
                    Add(cmd, "now", now.ToUnixTimeMilliseconds());
                    Add(cmd, "location", r.Location);
                    break;
                case ItemResultKind.Dead:
                    Add(cmd, "now", now.ToUnixTimeMilliseconds());
                    Add(cmd, "outcome", r.OutcomeJson);
                    Add(cmd, "error", r.Error);
                    break;
                default:
                    Add(cmd, "at", (r.RetryAt ?? now).ToUnixTimeMilliseconds());
                    Add(cmd, "error", r.Error);
                    break;
            }

            applied += await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return applied;
    }

    public async Task<int> ReleaseLeasesAsync(string? owner, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, owner is null
            ? "UPDATE outbox_items SET status = 0, lease_owner = NULL, lease_until = NULL WHERE status = 1"
            : "UPDATE outbox_items SET status = 0, lease_owner = NULL, lease_until = NULL WHERE status = 1 AND lease_owner = @owner");
        if (owner is not null)
        {
            Add(cmd, "owner", owner);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<OutboxStats> GetStatsAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        var counts = new long[4];
        await using (var cmd = Command(c, null, "SELECT status, COUNT(*) FROM outbox_items GROUP BY status"))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                counts[Long(r, 0)] = Long(r, 1);
            }
        }

        DateTimeOffset? oldest = null, last = null;
        await using (var cmd = Command(c, null, """
            SELECT (SELECT MIN(created_at) FROM outbox_items WHERE status IN (0, 1)),
                   (SELECT MAX(delivered_at) FROM outbox_items WHERE status = 2)
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                oldest = Time(r, 0);
                last = Time(r, 1);
            }
        }

        return new OutboxStats(counts[0], counts[1], counts[2], counts[3], oldest, last);
    }

    public async Task<IReadOnlyList<OutboxRow>> ListAsync(OutboxItemStatus? status, int limit, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, status is null
            ? $"SELECT {RowColumns} FROM outbox_items ORDER BY id LIMIT @limit"
            : $"SELECT {RowColumns} FROM outbox_items WHERE status = @status ORDER BY id LIMIT @limit");
        Add(cmd, "limit", (long)limit);
        if (status is { } s)
        {
            Add(cmd, "status", (long)s);
        }

        var rows = new List<OutboxRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new OutboxRow(
                Long(r, 0), (OutboxItemStatus)Long(r, 1), (OutboxItemKind)Long(r, 2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                (int)Long(r, 7), Time(r, 8)!.Value, Time(r, 9), r.IsDBNull(10) ? null : (int)Long(r, 10), NullableString(r, 11),
                NullableString(r, 12), NullableString(r, 13), NullableString(r, 14)));
        }

        return rows;
    }

    public async Task<int> RetryDeadAsync(long? id, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null,
            "UPDATE outbox_items SET status = 0, attempts = 0, next_attempt_at = @now, lease_owner = NULL, lease_until = NULL WHERE status = 3"
            + (id is null ? string.Empty : " AND id = @id"));
        Add(cmd, "now", now.ToUnixTimeMilliseconds());
        if (id is { } one)
        {
            Add(cmd, "id", one);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<int> PurgeAsync(OutboxItemStatus status, DateTimeOffset? before, CancellationToken ct)
    {
        if (status is not (OutboxItemStatus.Dead or OutboxItemStatus.Delivered))
        {
            throw new ArgumentException("Only dead or delivered items can be purged; pending work is never thrown away.", nameof(status));
        }

        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, "DELETE FROM outbox_items WHERE status = @status" + (before is null ? string.Empty : " AND created_at < @before"));
        Add(cmd, "status", (long)status);
        if (before is { } b)
        {
            Add(cmd, "before", b.ToUnixTimeMilliseconds());
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task WriteHeartbeatAsync(InstanceHeartbeat heartbeat, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, """
            INSERT INTO outbox_instances (instance_id, circuit, updated_at, last_success_at) VALUES (@id, @circuit, @at, @success)
            ON CONFLICT (instance_id) DO UPDATE SET circuit = excluded.circuit, updated_at = excluded.updated_at, last_success_at = excluded.last_success_at
            """);
        Add(cmd, "id", heartbeat.InstanceId);
        Add(cmd, "circuit", heartbeat.Circuit);
        Add(cmd, "at", heartbeat.UpdatedAt.ToUnixTimeMilliseconds());
        Add(cmd, "success", heartbeat.LastSuccessAt?.ToUnixTimeMilliseconds());
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InstanceHeartbeat>> ReadHeartbeatsAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT instance_id, circuit, updated_at, last_success_at FROM outbox_instances ORDER BY updated_at DESC");
        var list = new List<InstanceHeartbeat>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new InstanceHeartbeat(r.GetString(0), r.GetString(1), Time(r, 2)!.Value, Time(r, 3)));
        }

        return list;
    }

    public async Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var r in records)
        {
            await using var cmd = Command(c, tx, "INSERT INTO outbox_audit (recorded_at, action, success, who, event) VALUES (@at, @action, @success, @who, @event)");
            Add(cmd, "@at", r.RecordedAt.ToUnixTimeMilliseconds());
            Add(cmd, "@action", AuditTrail.Code(r.Action));
            Add(cmd, "@success", r.Success ? 1 : 0);
            Add(cmd, "@who", r.Who);
            Add(cmd, "@event", r.EventJson);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(long afterId, int limit, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT id, recorded_at, action, success, who, event FROM outbox_audit WHERE id > @after ORDER BY id LIMIT @limit");
        Add(cmd, "@after", afterId);
        Add(cmd, "@limit", limit);
        var list = new List<AuditRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var action = reader.GetString(2) switch
            {
                "intake" => AuditAction.Intake,
                "delivery" => AuditAction.Delivery,
                "dead-letter" => AuditAction.DeadLetter,
                _ => AuditAction.Retry,
            };
            list.Add(new AuditRecord(
                reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), action, Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture) != 0, reader.GetString(4), reader.GetString(5)));
        }

        return list;
    }

    public async Task<long> ReadCursorAsync(string name, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = Command(c, null, "SELECT position FROM outbox_cursors WHERE name = @name");
        Add(cmd, "@name", name);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } position and not DBNull
            ? Convert.ToInt64(position, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    public async Task<bool> AdvanceCursorAsync(string name, long from, long to, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var insert = Command(c, tx, "INSERT INTO outbox_cursors (name, position) VALUES (@name, 0) ON CONFLICT (name) DO NOTHING"))
        {
            Add(insert, "@name", name);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var update = Command(c, tx, "UPDATE outbox_cursors SET position = @to WHERE name = @name AND position = @from");
        Add(update, "@name", name);
        Add(update, "@from", from);
        Add(update, "@to", to);
        var moved = await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return moved;
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

#pragma warning disable CA2100 // Statements are constants of this assembly; values always go through parameters.
    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = transaction;
        return cmd;
    }
#pragma warning restore CA2100

    protected static DbParameter Add(DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }

    private static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Long(r, i));
}
