using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// One line of an NDJSON file: its 1-based line number and what was read from it; with
/// <see cref="NdjsonReadOptions.BundleEntries"/>, a Bundle line gives the Bundle without its entries' resources
/// (<see cref="Entry"/> null) and then one record per entry resource (<see cref="Entry"/>: its 0-based index).
/// </summary>
public sealed record NdjsonRecord(long LineNumber, ParseResult<Resource> Result)
{
    public int? Entry { get; init; }
}

/// <summary>How NDJSON is read: parser options, workers, and the bounds of its buffers.</summary>
public sealed record NdjsonReadOptions
{
    public static NdjsonReadOptions Default { get; } = new();

    public ParserOptions? Parser { get; init; }

    /// <summary>Blocks parsed at once (default: one per core). Records still come out in line order.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of whole lines handed to a worker at once.</summary>
    public int BlockBytes { get; init; } = 1 << 20;

    /// <summary>A longer line (line break not counted) is a located <see cref="ParseCodes.TooLarge"/> error and is skipped; the next lines are read.</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    /// <summary>
    /// Read Bundle lines entry by entry (<see cref="Json.BundleEntries"/>): the Bundle, then each entry's resource as its
    /// own record, so a 30 MB Bundle line is parsed by all workers a block of entries at a time and never held whole as
    /// a model. Off (the default): a Bundle line is one record holding the whole Bundle.
    /// </summary>
    public bool BundleEntries { get; init; }

    /// <summary>When given, counts the read buffers held at once (see <see cref="NdjsonBufferStats"/>).</summary>
    public NdjsonBufferStats? Stats { get; init; }
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
    public static IAsyncEnumerable<NdjsonRecord> ReadAsync(Stream stream, ParserOptions? options = null, CancellationToken ct = default) =>
        ReadAsync(stream, options is null ? NdjsonReadOptions.Default : new NdjsonReadOptions { Parser = options }, ct);

    public static async IAsyncEnumerable<NdjsonRecord> ReadAsync(Stream stream, NdjsonReadOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var inFlight = new Queue<(Task<NdjsonRecord[]> Parsed, int Bytes)>();
        var maxUnits = Math.Max(1, options.Parallelism) * 2;
        // Read-ahead is bounded in bytes too: a block of one huge line (a 30 MB Bundle, unless read entry by entry) is parsed alone.
        var maxBytes = (long)maxUnits * options.BlockBytes;
        long bytes = 0;
        try
        {
            var split = new NdjsonSplitOptions { BlockBytes = options.BlockBytes, MaxLineBytes = options.MaxLineBytes, Stats = options.Stats };
            await foreach (var block in NdjsonSplitter.ReadBlocksAsync(stream, split, ct).ConfigureAwait(false))
            {
                foreach (var unit in NdjsonWork.Units(block, options, ct))
                {
                    // Started at once (never cancelled before it runs: it gives the block back); then hand out what is
                    // done, and wait for the oldest only while too much is read ahead.
                    inFlight.Enqueue((Task.Run(unit.Run, CancellationToken.None), unit.Bytes));
                    bytes += unit.Bytes;
                    while (inFlight.Count > 0 && (inFlight.Count > maxUnits || (bytes > maxBytes && inFlight.Count > 1) || inFlight.Peek().Parsed.IsCompleted))
                    {
                        var (parsed, length) = inFlight.Dequeue();
                        bytes -= length;
                        foreach (var record in await parsed.ConfigureAwait(false))
                        {
                            ct.ThrowIfCancellationRequested();
                            yield return record;
                        }
                    }
                }
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
}
