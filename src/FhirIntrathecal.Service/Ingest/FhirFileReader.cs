using System.Runtime.CompilerServices;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Exchange.FhirInput;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// FHIR input for the inbox and the intake, read by the exchange's one <see cref="FhirInputReader"/> (the same strict
/// parse, validation and located diagnostics as <c>push</c> and <c>validate</c>): .ndjson line by line, .json and .xml as
/// one resource or Bundle. An accepted record becomes outbox items: a transaction is one item (all or nothing); a
/// batch one item per entry; any other resource, or the resources of any other Bundle, one item each. A refused
/// record queues nothing and reports why.
/// </summary>
public sealed partial class FhirFileReader(FhirInputReader input)
{
    /// <summary>With <paramref name="validator"/> null (Adapter:Validation:Enabled=false) the parse stays strict and the start is logged as a warning, as push prints one.</summary>
    public static FhirFileReader Create(FhirValidator? validator, ILogger logger)
    {
        if (validator is null)
        {
            LogValidationOff(logger);
        }

        return new FhirFileReader(new FhirInputReader(validator));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adapter:Validation:Enabled=false: FHIR input is parsed strictly but not validated; the server's answer decides")]
    private static partial void LogValidationOff(ILogger logger);

    /// <summary>The exchange's reader behind this one (the intake checks what a body asks for before queuing).</summary>
    public FhirInputReader Input => input;

    public static bool Handles(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".json" or ".ndjson" or ".xml";

    /// <summary>The records of an inbox file.</summary>
    public async IAsyncEnumerable<InputRecord> ReadAsync(string path, string correlationId, [EnumeratorCancellation] CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var record in ReadAsync(stream, Path.GetFileName(path), correlationId, ct).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    /// <summary>The records of a stream named <paramref name="name"/> (its extension gives the format); the intake's bodies come here.</summary>
    public async IAsyncEnumerable<InputRecord> ReadAsync(Stream stream, string name, string correlationId, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var record in input.ReadAsync(stream, name, ct).ConfigureAwait(false))
        {
            yield return ToInput(record, correlationId);
        }
    }

    /// <summary>A checked record as outbox items (accepted) or its errors (refused); warnings are kept either way.</summary>
    public static InputRecord ToInput(FhirRecord record, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(record);
        var diagnostics = record.Diagnostics.ToList();
        var located = new InputRecord(record.Accepted ? Items(record.Resource!, record.Source, correlationId) : [], diagnostics.Where(d => d.IsError).ToList())
        {
            Warnings = diagnostics.Where(d => !d.IsError).ToList(),
            File = Path.GetFileName(record.File),
            Line = (int)Math.Min(int.MaxValue, record.Line),
        };
        return located;
    }

    private static List<NewOutboxItem> Items(Resource resource, string source, string correlationId)
    {
        if (resource is not Bundle bundle)
        {
            return [OutboxItemFactory.ForResource(resource, source, correlationId)];
        }

        return bundle.Type?.Value switch
        {
            "transaction" => [OutboxItemFactory.ForTransaction(bundle, source, correlationId)],
            "batch" => bundle.Entry.Where(e => e.Resource is not null)
                .Select((e, i) => OutboxItemFactory.ForBatchEntry(e, $"{source}#entry[{i}]", correlationId)).ToList(),
            _ => bundle.Entry.Where(e => e.Resource is not null)
                .Select((e, i) => OutboxItemFactory.ForResource(e.Resource!, $"{source}#entry[{i}]", correlationId)).ToList(),
        };
    }
}
