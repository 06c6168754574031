using FhirIntrathecal.Exchange;
using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// What a reader yields per record: outbox items, or the located diagnostics (the exchange's catalogue, the same that
/// convert and push report) that kept the record out. <see cref="File"/> and <see cref="Line"/> locate the record itself,
/// so a finding about one of its items (e.g. too large) is placed without parsing the item's source name.
/// </summary>
public sealed record InputRecord(IReadOnlyList<NewOutboxItem> Items, IReadOnlyList<Diagnostic> Errors)
{
    /// <summary>Findings that keep nothing out (e.g. an interval under 4 weeks): reported with the input, items still queued.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>The input the record came from (a file name, or the intake's name for a posted body).</summary>
    public string File { get; init; } = string.Empty;

    /// <summary>The record's NDJSON line; 0 for a whole file.</summary>
    public int Line { get; init; }

    public static InputRecord Of(IReadOnlyList<NewOutboxItem> items) => new(items, []);

    public static InputRecord Failed(params Diagnostic[] errors) => new([], errors);
}
