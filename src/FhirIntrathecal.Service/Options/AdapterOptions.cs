namespace FhirIntrathecal.Service.Options;

/// <summary>
/// Everything `fhir-intrathecal serve` reads from configuration (appsettings.json, FHIRINTRATHECAL_ environment
/// variables, --Section:Key=value arguments). Sections are separate records so each component sees only its own.
/// </summary>
public sealed record AdapterOptions
{
    public const string SectionName = "Adapter";

    /// <summary>Names this process in leases, logs and health; defaults to host name + process id (unique per run).</summary>
    public string? InstanceId { get; init; }

    public InboxOptions Inbox { get; init; } = new();

    public OutboxOptions Outbox { get; init; } = new();

    public FhirServerOptions Fhir { get; init; } = new();

    public DispatcherOptions Dispatcher { get; init; } = new();

    public IntakeOptions Intake { get; init; } = new();

    public ValidationOptions Validation { get; init; } = new();

    public AuditOptions Audit { get; init; } = new();
}

/// <summary>The audit trail (AuditEvents in the outbox store, listed by `outbox audit`) and its copy on the FHIR server.</summary>
public sealed record AuditOptions
{
    /// <summary>Also PUT every AuditEvent to the FHIR server (stable ids: a repeated push creates nothing new). Off by default.</summary>
    public bool PushToServer { get; init; }

    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>AuditEvents per batch Bundle.</summary>
    public int PushBatchSize { get; init; } = 100;
}

public sealed record ValidationOptions
{
    /// <summary>
    /// Validate every FHIR resource before it enters the outbox, against R4 core and our IG (embedded). On by default;
    /// registry input is always validated (the exchange flow). Needs the FHIR packages restored.
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The FHIR package cache; default $FHIR_PACKAGE_CACHE or ~/.fhir/packages.</summary>
    public string? PackageCache { get; init; }
}

public sealed record InboxOptions
{
    /// <summary>The folder watched for input; done/ and quarantine/ are created beside its files (inside it) unless set.</summary>
    public string Path { get; init; } = "inbox";

    public string? DonePath { get; init; }

    public string? QuarantinePath { get; init; }

    /// <summary>How often the folder is scanned (a FileSystemWatcher also wakes the scan early).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A file must be unchanged this long before it is read, so a half-copied file is not taken.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest single outbox item taken from the inbox (a resource, an NDJSON line, a .json file); over it: a located error, quarantined.</summary>
    public long MaxItemBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Items written to the outbox per local transaction: bounds memory on huge files.</summary>
    public int ChunkSize { get; init; } = 500;

    /// <summary>Set false to run a dispatcher-only instance (e.g. a second instance on a shared PostgreSQL outbox).</summary>
    public bool Enabled { get; init; } = true;
}

public enum OutboxProvider
{
    Sqlite,
    Postgres,
}

public sealed record OutboxOptions
{
    public OutboxProvider Provider { get; init; } = OutboxProvider.Sqlite;

    /// <summary>SQLite database file (Provider = Sqlite).</summary>
    public string Path { get; init; } = "outbox.db";

    /// <summary>Npgsql connection string (Provider = Postgres). Put the password in the environment, not in appsettings.json.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>How long a leased item belongs to one instance; after that another instance may take it (PostgreSQL).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long delivered items (and their payloads) are kept; null keeps them until `outbox purge`.</summary>
    public TimeSpan? RetainDelivered { get; init; }

    /// <summary>How often the retention policy runs.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromHours(1);
}

public sealed record FhirServerOptions
{
    public Uri? BaseUrl { get; init; }

    /// <summary>Optional bearer token; never logged. Prefer the FHIRINTRATHECAL_Adapter__Fhir__BearerToken variable.</summary>
    public string? BearerToken { get; init; }

    /// <summary>One HTTP attempt; the outbox, not the HTTP client, does the long-term retrying.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>When a single-resource item is sent as a conditional create (If-None-Exist on its business identifier).</summary>
public enum ConditionalCreatePolicy
{
    /// <summary>Every time: also deduplicates against resources that reached the server some other way.</summary>
    Always,

    /// <summary>
    /// Only when the item may already have landed, i.e. it was leased before (the attempt count is committed before
    /// every push, so a crash after the server's commit always leaves attempts &gt; 1). The first push is a plain
    /// create. For servers whose conditional create is a slow scan; a replay still has no visible effect.
    /// </summary>
    OnRetry,
}

public sealed record DispatcherOptions
{
    public ConditionalCreatePolicy ConditionalCreate { get; init; } = ConditionalCreatePolicy.Always;

    /// <summary>
    /// How registry transactions stay idempotent: upsert (PUT by stable id; servers that accept client ids, such as the
    /// sandbox: no search per resource) or conditional (If-None-Exist on identifiers; servers that index them).
    /// </summary>
    public FhirIntrathecal.Exchange.Idempotency RegistryIdempotency { get; init; } = FhirIntrathecal.Exchange.Idempotency.Upsert;

    public bool Enabled { get; init; } = true;

    /// <summary>Parallel pushes. A FHIR server serialising writes gains little above 2.</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>Single-resource items sent together in one batch Bundle.</summary>
    public int BatchSize { get; init; } = 100;

    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive transient failures that open the circuit (pause all pushes).</summary>
    public int CircuitFailureThreshold { get; init; } = 5;

    public TimeSpan CircuitBreakDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after which an item that keeps failing transiently is dead-lettered (with its last error) instead of retried.</summary>
    public int MaxAttempts { get; init; } = 50;

    /// <summary>
    /// Age after which an item that still fails transiently is dead-lettered (with its history) instead of retried;
    /// null (default) leaves it to MaxAttempts. Dead items stay in the outbox until `outbox retry` or `outbox purge`.
    /// </summary>
    public TimeSpan? MaxItemAge { get; init; }
}

public sealed record IntakeOptions
{
    /// <summary>The local HTTP intake + /health endpoint; off unless asked for.</summary>
    public bool Enabled { get; init; }

    /// <summary>Loopback by default. Anything else needs https, a certificate and authentication (checked at start).</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:8091");

    public long MaxRequestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Serve without authentication. Honoured only on a loopback Url; refused at start anywhere else.</summary>
    public bool AllowAnonymousOnLoopback { get; init; }

    /// <summary>The server certificate: a PKCS#12 file, or a PEM certificate with <see cref="CertificateKeyPath"/>.</summary>
    public string? CertificatePath { get; init; }

    public string? CertificateKeyPath { get; init; }

    /// <summary>For a PKCS#12 file; prefer the FHIRINTRATHECAL_Adapter__Intake__CertificatePassword variable.</summary>
    public string? CertificatePassword { get; init; }

    public IntakeJwtOptions Jwt { get; init; } = new();

    public IntakeClientCertificateOptions ClientCertificates { get; init; } = new();

    /// <summary>Host header names accepted (without port, as ASP.NET Core host filtering compares them); empty = the Url's host only (plus localhost forms on loopback).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Resource types a caller may create or update through /intake/fhir; empty = the types the adapter maps.</summary>
    public IReadOnlyList<string> AllowedResourceTypes { get; init; } = [];

    /// <summary>Requests per client per minute (fixed window); over it: 429.</summary>
    public int RequestsPerMinute { get; init; } = 600;

    /// <summary>Requests handled at once, all clients together; over it: 429 (queued briefly first).</summary>
    public int MaxConcurrentRequests { get; init; } = 8;

    /// <summary>Largest single outbox item the intake accepts (a resource or one transaction Bundle); over it: 413.</summary>
    public long MaxItemBytes { get; init; } = 16L * 1024 * 1024;
}
