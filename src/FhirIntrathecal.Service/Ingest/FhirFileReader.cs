using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// FHIR JSON input: .ndjson is streamed line by line (memory stays flat for any size); .json holds one resource or a
/// Bundle (transaction → one item; batch → its entries; any other type → its resources). Parse and validation errors
/// come back located (file, line, column, element path).
/// </summary>
public sealed class FhirFileReader(IResourceValidator validator)
{
    public static bool Handles(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".json" or ".ndjson";

    public async IAsyncEnumerable<InputRecord> ReadAsync(string path, string correlationId, [EnumeratorCancellation] CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (Path.GetExtension(path).Equals(".ndjson", StringComparison.OrdinalIgnoreCase))
        {
            await foreach (var record in Ndjson.ReadAsync(stream, ParserOptions.Strict, ct).ConfigureAwait(false))
            {
                yield return FromParse(record.Result, name, record.LineNumber, correlationId);
            }
        }
        else
        {
            var result = await FhirJsonParser.ParseAsync(stream, ParserOptions.Strict, ct).ConfigureAwait(false);
            yield return FromParse(result, name, 0, correlationId);
        }
    }

    /// <summary>Also used by the HTTP intake for posted bodies.</summary>
    public InputRecord FromParse(ParseResult<Resource> result, string name, long line, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Success || result.Value is null)
        {
            var errors = result.Issues
                .Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal)
                .Select(i => new InputError(name, i.Line > 0 ? i.Line : line, i.Column, i.Location, i.Code, i.Message))
                .ToArray();
            return InputRecord.Failed(errors.Length > 0 ? errors : [new InputError(name, line, 0, string.Empty, ParseCodes.Empty, "no resource")]);
        }

        return FromResource(result.Value, name, line, correlationId);
    }

    public InputRecord FromResource(Resource resource, string name, long line, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var source = line > 0 ? $"{name}:{line}" : name;
        if (resource is not Bundle bundle)
        {
            var problems = validator.Validate(resource, name, line);
            return problems.Count > 0 ? InputRecord.Failed([.. problems]) : InputRecord.Of([OutboxItemFactory.ForResource(resource, source, correlationId)]);
        }

        var errors = new List<InputError>();
        foreach (var entry in bundle.Entry)
        {
            if (entry.Resource is { } r)
            {
                errors.AddRange(validator.Validate(r, name, line));
            }
        }

        if (errors.Count > 0 && bundle.Type?.Value == "transaction")
        {
            // All or nothing: one invalid entry keeps the whole transaction out.
            return InputRecord.Failed([.. errors]);
        }

        var items = new List<NewOutboxItem>();
        switch (bundle.Type?.Value)
        {
            case "transaction":
                items.Add(OutboxItemFactory.ForTransaction(bundle, source, correlationId));
                break;
            case "batch":
                items.AddRange(bundle.Entry.Where(e => e.Resource is not null && validator.Validate(e.Resource, name, line).Count == 0)
                    .Select((e, i) => OutboxItemFactory.ForBatchEntry(e, $"{source}#entry[{i}]", correlationId)));
                break;
            default:
                items.AddRange(bundle.Entry.Where(e => e.Resource is not null && validator.Validate(e.Resource, name, line).Count == 0)
                    .Select((e, i) => OutboxItemFactory.ForResource(e.Resource!, $"{source}#entry[{i}]", correlationId)));
                break;
        }

        return new InputRecord(items, errors);
    }
}
