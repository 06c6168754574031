using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace FhirIntrathecal.Service.Outbox;

/// <summary>
/// The embedded outbox: one SQLite file in WAL mode (readers never block the writer) with synchronous=FULL, so a
/// committed enqueue survives a power cut, not only a killed process. Meant for one adapter process; several
/// instances share a PostgreSQL outbox instead.
/// </summary>
public sealed class SqliteOutboxStore : SqlOutboxStore
{
    private readonly string _connectionString;

    public SqliteOutboxStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Pooling = true,
            // Seconds a statement waits for the write lock (SQLITE_BUSY is retried internally until then).
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    protected override string LeaseSql => $"""
        UPDATE outbox_items SET status = 1, lease_owner = @owner, lease_until = @until, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM outbox_items
            WHERE kind = @kind AND ((status = 0 AND next_attempt_at <= @now) OR (status = 1 AND lease_until < @now))
            ORDER BY id LIMIT @max)
        RETURNING {Columns}
        """;

    /// <summary>
    /// One line saying why the outbox file cannot be used, or null when it passes SQLite's <c>PRAGMA quick_check</c>
    /// (or does not exist yet). The adapter refuses to start on a damaged outbox rather than answer "durable" over it.
    /// </summary>
    public static string? CheckIntegrity(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full) || new FileInfo(full).Length == 0)
        {
            return null;
        }

        try
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            c.Open();
            using var check = c.CreateCommand();
            check.CommandText = "PRAGMA quick_check(1);";
            var result = check.ExecuteScalar() as string;
            return result == "ok" ? null
                : $"The outbox {full} failed SQLite's integrity check ({result}); move it aside or restore it from a backup. Refusing to start.";
        }
        catch (SqliteException ex)
        {
            return $"The outbox {full} cannot be read as a SQLite database (SQLite error {ex.SqliteErrorCode}); move it aside or restore it from a backup. Refusing to start.";
        }
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        CreateOwnerOnly();
        var c = new SqliteConnection(_connectionString);
        try
        {
            await c.OpenAsync(ct).ConfigureAwait(false);
            await using var pragma = c.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The outbox holds patient data: a new file is created readable by this user only (0600); SQLite gives its -wal/-shm the same mode.</summary>
    private void CreateOwnerOnly()
    {
        if (OperatingSystem.IsWindows() || File.Exists(Path))
        {
            return;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        try
        {
            using var created = new FileStream(Path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Created by a concurrent open: fine, it was created with the same mode.
        }
    }

    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken ct)
    {
        // journal_mode is persistent in the file, so setting it once at start is enough.
        await using (var wal = Command(connection, null, "PRAGMA journal_mode = WAL;"))
        {
            await wal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var cmd = Command(connection, null, """
            CREATE TABLE IF NOT EXISTS outbox_items (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                content_hash TEXT NOT NULL UNIQUE,
                kind INTEGER NOT NULL,
                method TEXT NOT NULL,
                url TEXT NOT NULL,
                if_none_exist TEXT NULL,
                payload BLOB NOT NULL,
                source TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                status INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                lease_owner TEXT NULL,
                lease_until INTEGER NULL,
                created_at INTEGER NOT NULL,
                delivered_at INTEGER NULL,
                server_status INTEGER NULL,
                server_location TEXT NULL,
                last_error TEXT NULL,
                outcome TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox_items (kind, status, next_attempt_at);
            CREATE INDEX IF NOT EXISTS ix_outbox_status ON outbox_items (status, id);
            CREATE TABLE IF NOT EXISTS outbox_audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                recorded_at INTEGER NOT NULL,
                action TEXT NOT NULL,
                success INTEGER NOT NULL,
                who TEXT NOT NULL,
                event TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS outbox_instances (
                instance_id TEXT PRIMARY KEY,
                circuit TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                last_success_at INTEGER NULL);
            CREATE TABLE IF NOT EXISTS outbox_cursors (
                name TEXT PRIMARY KEY,
                position INTEGER NOT NULL);
            """);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
