using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>One line of an NDJSON file: its 1-based line number and what was read from it.</summary>
public sealed record NdjsonRecord(long LineNumber, ParseResult<Resource> Result);

/// <summary>
/// Streams NDJSON (one resource per line, as in Bulk Data exports; lines split by <see cref="NdjsonLines"/>): memory
/// stays bounded by the longest line, and a bad line is reported with its line number while the others are still read.
/// </summary>
public static class Ndjson
{
    public static async IAsyncEnumerable<NdjsonRecord> ReadAsync(Stream stream, ParserOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var line in NdjsonLines.ReadAsync(stream, Array.MaxLength - 1, ct).ConfigureAwait(false))
        {
            yield return line.TooLong
                ? new NdjsonRecord(line.Number, new ParseResult<Resource>(null, [new ParseIssue(IssueSeverity.Fatal, ParseCodes.TooLarge, "the line is too long to read", string.Empty, line.Number, 0)]))
                : ParseLine(line.Bytes.Span, line.Number, options, ct);
        }
    }

    /// <summary>Writes each resource as one compact line.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<Resource> resources, Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        await foreach (var resource in resources.WithCancellation(ct).ConfigureAwait(false))
        {
            await WriteLineAsync(resource, stream, ct).ConfigureAwait(false);
        }
    }

    public static async Task WriteAsync(IEnumerable<Resource> resources, Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources)
        {
            await WriteLineAsync(resource, stream, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Appends one resource as one line (synchronous, for writers that already own a buffered stream).</summary>
    public static void Write(Stream stream, Resource resource)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FhirJsonSerializer.Serialize(resource, stream);
        stream.WriteByte((byte)'\n');
    }

    private static async Task WriteLineAsync(Resource resource, Stream stream, CancellationToken ct)
    {
        var bytes = FhirJsonSerializer.SerializeToUtf8Bytes(resource);
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        stream.WriteByte((byte)'\n');
    }

    private static NdjsonRecord ParseLine(ReadOnlySpan<byte> line, long lineNumber, ParserOptions? options, CancellationToken ct)
    {
        var result = FhirJsonParser.Parse(line, options, null, ct);
        if (result.Issues.Count == 0)
        {
            return new NdjsonRecord(lineNumber, result);
        }

        // Inside one line every position is on line 1: report the file's line instead.
        var issues = result.Issues.Select(i => i with { Line = lineNumber }).ToList();
        return new NdjsonRecord(lineNumber, new ParseResult<Resource>(result.Value, issues));
    }
}
