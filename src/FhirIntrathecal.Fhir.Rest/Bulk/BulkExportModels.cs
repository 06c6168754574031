using System.Collections.Immutable;

namespace FhirIntrathecal.Fhir.Rest.Bulk;

public enum ExportLevel
{
    /// <summary>[base]/$export: everything.</summary>
    System,

    /// <summary>[base]/Patient/$export: all patients' compartments.</summary>
    Patient,

    /// <summary>[base]/Group/[id]/$export: the group's members' compartments.</summary>
    Group,
}

/// <summary>A kick-off request (FHIR Bulk Data Access 2.0).</summary>
public sealed record BulkExportRequest
{
    public ExportLevel Level { get; init; } = ExportLevel.System;

    /// <summary>Required for <see cref="ExportLevel.Group"/>.</summary>
    public string? GroupId { get; init; }

    /// <summary>_type: the resource types wanted (empty: all the server offers).</summary>
    public ImmutableArray<string> Types { get; init; } = [];

    /// <summary>_since: only resources changed after this instant (incremental pulls).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>_outputFormat; ndjson is the one format every server supports.</summary>
    public string OutputFormat { get; init; } = "application/fhir+ndjson";
}

/// <summary>How the client waits for and downloads an export.</summary>
public sealed record BulkExportOptions
{
    /// <summary>Poll interval when the server sends no Retry-After.</summary>
    public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retry-After above this is clamped, so a long estimate still gets checked now and then.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Give up (and cancel the job) after this long.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Files downloaded at once.</summary>
    public int DownloadParallelism { get; init; } = 4;
}

/// <summary>An accepted export: where to poll. Persist <see cref="StatusUrl"/> to resume waiting after a restart.</summary>
public sealed record BulkExportJob(Uri StatusUrl);

/// <summary>One poll's answer while the job runs.</summary>
public sealed record BulkExportProgress(int Poll, string? Progress, TimeSpan NextPollIn);

/// <summary>An output or error file of the manifest.</summary>
public sealed record BulkExportFile(string Type, Uri Url, long? Count);

/// <summary>The completed job's manifest.</summary>
public sealed record BulkExportManifest(
    DateTimeOffset? TransactionTime,
    string? Request,
    bool RequiresAccessToken,
    IReadOnlyList<BulkExportFile> Output,
    IReadOnlyList<BulkExportFile> Error);

/// <summary>A file written to disk: where, how many NDJSON lines, how many bytes.</summary>
public sealed record DownloadedFile(BulkExportFile Source, string Path, long Lines, long Bytes, bool Skipped);
