using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>A located problem in an input: file, line and column (1-based; 0 = unknown) and the element path.</summary>
public sealed record InputError(string File, long Line, long Column, string Location, string Code, string Message)
{
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {Code}: {Message}" + (string.IsNullOrEmpty(Location) ? string.Empty : $" (at {Location})");
}

/// <summary>What a reader yields per record: outbox items, or the errors that kept a record out.</summary>
public sealed record InputRecord(IReadOnlyList<NewOutboxItem> Items, IReadOnlyList<InputError> Errors)
{
    /// <summary>Findings that keep nothing out (e.g. an interval under 4 weeks): reported with the input, items still queued.</summary>
    public IReadOnlyList<InputError> Warnings { get; init; } = [];

    public static InputRecord Of(IReadOnlyList<NewOutboxItem> items) => new(items, []);

    public static InputRecord Failed(params InputError[] errors) => new([], errors);
}
