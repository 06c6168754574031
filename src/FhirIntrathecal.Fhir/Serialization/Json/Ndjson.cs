using System.Buffers;
using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>One line of an NDJSON file: its 1-based line number and what was read from it.</summary>
public sealed record NdjsonRecord(long LineNumber, ParseResult<Resource> Result);

/// <summary>How NDJSON is read: parser options, workers, and the bounds of its buffers.</summary>
public sealed record NdjsonReadOptions
{
    public static NdjsonReadOptions Default { get; } = new();

    public ParserOptions? Parser { get; init; }

    /// <summary>Blocks parsed at once (default: one per core). Records still come out in line order.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of whole lines handed to a worker at once.</summary>
    public int BlockBytes { get; init; } = 1 << 20;

    /// <summary>A line this long or longer (newline included) is a located <see cref="ParseCodes.TooLarge"/> error and is skipped; the next lines are read.</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;
}

/// <summary>
/// Streams NDJSON (one resource per line, as in Bulk Data exports) from a <see cref="Stream"/>: the input is cut into
/// blocks of whole lines that <see cref="NdjsonReadOptions.Parallelism"/> workers parse at once, and the records come
/// out in line order. At most 2 × Parallelism blocks (and as many block sizes of bytes, or one longer line) are read
/// ahead, so memory is bounded by the block size and the longest line (<see cref="NdjsonReadOptions.MaxLineBytes"/>),
/// never by the input. A bad line is reported with its
/// line number while the others are still read.
/// </summary>
public static class Ndjson
{
    /// <summary>
    /// Block buffers: pooled up to 4 MB; a longer line gets its own array, which the GC takes back afterwards (the
    /// shared pool would keep a 30 MB buffer for the life of the process).
    /// </summary>
    private static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(4 << 20, 16);

    public static IAsyncEnumerable<NdjsonRecord> ReadAsync(Stream stream, ParserOptions? options = null, CancellationToken ct = default) =>
        ReadAsync(stream, options is null ? NdjsonReadOptions.Default : new NdjsonReadOptions { Parser = options }, ct);

    public static async IAsyncEnumerable<NdjsonRecord> ReadAsync(Stream stream, NdjsonReadOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var inFlight = new Queue<(Task<NdjsonRecord[]> Parsed, int Bytes)>();
        var maxBlocks = Math.Max(1, options.Parallelism) * 2;
        // Read-ahead is bounded in bytes too: a block of one huge line (a 30 MB Bundle) is parsed alone.
        var maxBytes = (long)maxBlocks * options.BlockBytes;
        long bytes = 0;
        try
        {
            await foreach (var block in Blocks(stream, options, ct).ConfigureAwait(false))
            {
                // Hand out what is done; wait for the oldest only when enough is read ahead.
                while (inFlight.Count > 0 && (inFlight.Count >= maxBlocks || bytes + block.Length > maxBytes || inFlight.Peek().Parsed.IsCompleted))
                {
                    var (parsed, length) = inFlight.Dequeue();
                    bytes -= length;
                    foreach (var record in await parsed.ConfigureAwait(false))
                    {
                        ct.ThrowIfCancellationRequested();
                        yield return record;
                    }
                }

                inFlight.Enqueue((Task.Run(() => Parse(block, options.Parser, ct), ct), block.Length));
                bytes += block.Length;
            }

            while (inFlight.Count > 0)
            {
                foreach (var record in await inFlight.Dequeue().Parsed.ConfigureAwait(false))
                {
                    ct.ThrowIfCancellationRequested();
                    yield return record;
                }
            }
        }
        finally
        {
            // Stopped early: let running workers finish so their buffers go back to the pool.
            while (inFlight.Count > 0)
            {
                try
                {
                    await inFlight.Dequeue().Parsed.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The consumer's cancellation, already surfaced.
                }
            }
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

    /// <summary>Whole lines in a pooled buffer (returned by <see cref="Parse"/>), or one line too long to read.</summary>
    private sealed record Block(long FirstLine, byte[]? Bytes, int Length, long TooLongLength = 0);

    /// <summary>Cuts the stream into blocks of whole lines; the buffer grows only for a long line, up to the cap.</summary>
    private static async IAsyncEnumerable<Block> Blocks(Stream stream, NdjsonReadOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        // capacity: the part of the (pooled, maybe larger) buffer in use, so the line cap is exact.
        var blockBytes = Math.Max(1, Math.Min(options.BlockBytes, options.MaxLineBytes));
        var capacity = blockBytes;
        var buffer = Buffers.Rent(capacity);
        try
        {
            int filled = 0;
            long line = 1, skipping = 0;  // skipping: bytes of an over-long line dropped so far (0 when not skipping)
            var eof = false;
            while (!eof || filled > 0)
            {
                if (!eof && filled < capacity)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled, capacity - filled), ct).ConfigureAwait(false);
                    eof = read == 0;
                    filled += read;
                    if (filled < capacity && !eof)
                    {
                        continue;
                    }
                }

                if (skipping > 0)
                {
                    var newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
                    skipping += newline < 0 ? filled : newline;
                    if (newline < 0 && !eof)
                    {
                        filled = 0;
                        continue;
                    }

                    yield return new Block(line++, null, 0, skipping);
                    skipping = 0;
                    var rest = newline < 0 ? 0 : filled - newline - 1;
                    Buffer.BlockCopy(buffer, filled - rest, buffer, 0, rest);
                    filled = rest;
                    continue;
                }

                var cut = eof ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (cut == 0)
                {
                    // One line fills the buffer: grow it up to the cap, then report the line and skip it.
                    if (capacity >= options.MaxLineBytes)
                    {
                        skipping = filled;
                        filled = 0;
                        continue;
                    }

                    capacity = (int)Math.Min(capacity * 2L, options.MaxLineBytes);
                    if (capacity > buffer.Length)
                    {
                        var bigger = Buffers.Rent(capacity);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                        Buffers.Return(buffer);
                        buffer = bigger;
                    }

                    continue;
                }

                // The filled buffer goes to the worker as it is; only the partial line after the cut moves to a new one.
                var block = new Block(line, buffer, cut);
                line += buffer.AsSpan(0, cut).Count((byte)'\n');
                filled -= cut;
                capacity = Math.Max(blockBytes, filled);  // back to block-sized reads after a long line
                var next = Buffers.Rent(capacity);
                Buffer.BlockCopy(buffer, cut, next, 0, filled);
                buffer = next;
                yield return block;
            }
        }
        finally
        {
            Buffers.Return(buffer);
        }
    }

    private static NdjsonRecord[] Parse(Block block, ParserOptions? options, CancellationToken ct)
    {
        if (block.Bytes is null)
        {
            var issue = new ParseIssue(IssueSeverity.Error, ParseCodes.TooLarge,
                $"The line has {block.TooLongLength} bytes or more, more than the {nameof(NdjsonReadOptions.MaxLineBytes)} limit; it was not read.", "", block.FirstLine, 1);
            return [new NdjsonRecord(block.FirstLine, new ParseResult<Resource>(null, [issue]))];
        }

        try
        {
            var records = new List<NdjsonRecord>();
            var span = block.Bytes.AsSpan(0, block.Length);
            for (var line = block.FirstLine; !span.IsEmpty; line++)
            {
                var end = span.IndexOf((byte)'\n');
                if (ParseLine(end < 0 ? span : span[..end], line, options, ct) is { } record)
                {
                    records.Add(record);
                }

                span = end < 0 ? [] : span[(end + 1)..];
            }

            return [.. records];
        }
        finally
        {
            Buffers.Return(block.Bytes);
        }
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
