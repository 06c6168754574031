using System.Buffers;
using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>One line of an NDJSON file: its 1-based line number and what was read from it.</summary>
public sealed record NdjsonRecord(long LineNumber, ParseResult<Resource> Result);

/// <summary>
/// Streams NDJSON (one resource per line, as in Bulk Data exports): memory stays bounded by the longest line, and a
/// bad line is reported with its line number while the others are still read.
/// </summary>
public static class Ndjson
{
    public static async IAsyncEnumerable<NdjsonRecord> ReadAsync(Stream stream, ParserOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int start = 0, end = 0;
            long line = 0;
            var eof = false;
            while (!eof || start < end)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0 && !eof)
                {
                    // Compact, grow if one line fills the buffer, then read more.
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
                    eof = read == 0;
                    end += read;
                    continue;
                }

                var lineEnd = newline < 0 ? end : newline;
                line++;
                var record = ParseLine(buffer.AsSpan(start, lineEnd - start), line, options, ct);
                start = newline < 0 ? end : newline + 1;
                if (record is not null)
                {
                    yield return record;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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

    private static NdjsonRecord? ParseLine(ReadOnlySpan<byte> line, long lineNumber, ParserOptions? options, CancellationToken ct)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            return null;
        }

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
