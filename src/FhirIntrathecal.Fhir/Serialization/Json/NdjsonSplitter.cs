using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// One non-blank NDJSON line: its 1-based number in the file and its bytes without the line break (and without a
/// trailing CR). <see cref="Bytes"/> lies in a pooled buffer and is valid only while its <see cref="NdjsonBlock"/> is
/// (for <see cref="NdjsonSplitter.ReadLinesAsync"/>: until the next line is asked for); copy it to keep it. A line
/// longer than the cap has no bytes and <see cref="SkippedBytes"/> says how many were dropped.
/// </summary>
public readonly record struct NdjsonLine(long Number, ReadOnlyMemory<byte> Bytes, long SkippedBytes)
{
    /// <summary>The line was longer than the cap: it was not read (its bytes were skipped up to its line break).</summary>
    public bool TooLong => SkippedBytes > 0;
}

/// <summary>The bounds of an NDJSON split; <see cref="Stats"/>, when given, counts the buffers the split holds.</summary>
public sealed record NdjsonSplitOptions
{
    public static NdjsonSplitOptions Default { get; } = new();

    /// <summary>Bytes of whole lines per block (a longer line makes a block of its own).</summary>
    public int BlockBytes { get; init; } = 1 << 20;

    /// <summary>A line with more bytes than this (line break not counted) is reported <see cref="NdjsonLine.TooLong"/> and skipped.</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    public NdjsonBufferStats? Stats { get; init; }
}

/// <summary>
/// Buffers held by an NDJSON split (the one being filled and every block not yet disposed), counted by the splitter
/// itself: what the reader keeps in memory, independent of when the GC runs. Thread-safe.
/// </summary>
public sealed class NdjsonBufferStats
{
    private long _bytes;
    private long _blocks;
    private long _peakBytes;
    private long _peakBlocks;
    private long _longAllocated;

    /// <summary>The most buffer bytes held at once.</summary>
    public long PeakBytes => Interlocked.Read(ref _peakBytes);

    /// <summary>The most buffers held at once.</summary>
    public long PeakBuffers => Interlocked.Read(ref _peakBlocks);

    /// <summary>Buffer bytes held now (0 once every block is disposed and the split has ended).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Buffers longer than the pooled ones (for lines over 4 MB) that the split allocated rather than reused.</summary>
    public long LongBuffersAllocated => Interlocked.Read(ref _longAllocated);

    internal void LongAllocated() => Interlocked.Increment(ref _longAllocated);

    internal void Add(long bytes, int buffers)
    {
        Max(ref _peakBytes, Interlocked.Add(ref _bytes, bytes));
        Max(ref _peakBlocks, Interlocked.Add(ref _blocks, buffers));
    }

    private static void Max(ref long peak, long value)
    {
        for (var seen = Interlocked.Read(ref peak); value > seen; seen = Interlocked.Read(ref peak))
        {
            if (Interlocked.CompareExchange(ref peak, value, seen) == seen)
            {
                return;
            }
        }
    }
}

/// <summary>
/// Whole NDJSON lines in a pooled buffer, or one line too long to read. Dispose it (once its lines are used) to give
/// the buffer back; its lines' bytes are invalid afterwards.
/// </summary>
public sealed class NdjsonBlock : IDisposable
{
    private readonly NdjsonSplitter.BufferSource _source;
    private byte[]? _buffer;

    internal NdjsonBlock(NdjsonSplitter.BufferSource source, long firstLine, byte[]? buffer, int length, long skippedBytes)
    {
        _source = source;
        _buffer = buffer;
        FirstLine = firstLine;
        Bytes = buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, length);
        SkippedBytes = skippedBytes;
    }

    /// <summary>The 1-based number of the block's first line.</summary>
    public long FirstLine { get; }

    /// <summary>The block's lines as read, line breaks included (empty for a line too long to read).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>&gt; 0: the block is one line longer than the cap, of which this many bytes were dropped.</summary>
    public long SkippedBytes { get; }

    /// <summary>The non-blank lines, numbered, without line breaks; a line too long to read comes as one <see cref="NdjsonLine.TooLong"/> line.</summary>
    public LineEnumerator GetEnumerator() => new(this);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            _source.Return(buffer);
        }
    }

    /// <summary>Walks a block's lines without allocating.</summary>
    public struct LineEnumerator
    {
        private readonly NdjsonBlock _block;
        private ReadOnlyMemory<byte> _rest;
        private long _next;
        private bool _tooLongDone;

        internal LineEnumerator(NdjsonBlock block)
        {
            _block = block;
            _rest = block.Bytes;
            _next = block.FirstLine;
            _tooLongDone = false;
            Current = default;
        }

        public NdjsonLine Current { get; private set; }

        public bool MoveNext()
        {
            if (_block.SkippedBytes > 0)
            {
                if (_tooLongDone)
                {
                    return false;
                }

                _tooLongDone = true;
                Current = new NdjsonLine(_block.FirstLine, ReadOnlyMemory<byte>.Empty, _block.SkippedBytes);
                return true;
            }

            while (!_rest.IsEmpty)
            {
                var end = _rest.Span.IndexOf((byte)'\n');
                var line = end < 0 ? _rest : _rest[..end];
                _rest = end < 0 ? ReadOnlyMemory<byte>.Empty : _rest[(end + 1)..];
                var number = _next++;
                if (line.Length > 0 && line.Span[^1] == '\r')
                {
                    line = line[..^1];
                }

                if (!line.Span.Trim(" \t"u8).IsEmpty)
                {
                    Current = new NdjsonLine(number, line, 0);
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// The one NDJSON line splitter: cuts a stream into blocks of whole lines (LF or CRLF; blank lines skipped but counted;
/// a last line without a line break; a UTF-8 byte order mark at the start dropped). Memory is bounded by the block size
/// and the line cap whatever the input: a line over <see cref="NdjsonSplitOptions.MaxLineBytes"/> is reported with its
/// line number and skipped up to its line break, and the lines after it are still read.
/// </summary>
public static class NdjsonSplitter
{
    /// <summary>Block buffers up to 4 MB are pooled (shared by all splits); a longer line's buffer is kept by its split only.</summary>
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(4 << 20, 16);

    /// <summary>Blocks of whole lines, in order; the caller disposes each (possibly on another thread).</summary>
    public static async IAsyncEnumerable<NdjsonBlock> ReadBlocksAsync(Stream stream, NdjsonSplitOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxLineBytes, Array.MaxLength - 1);
        var maxBuffer = options.MaxLineBytes + 1;  // room for the longest line and its line break
        var source = new BufferSource(options.Stats, maxBuffer);
        var blockBytes = Math.Clamp(options.BlockBytes, Math.Min(4, maxBuffer), maxBuffer);  // 4: a byte order mark is seen whole
        var capacity = blockBytes;  // the part of the (pooled, maybe larger) buffer in use, so the line cap is exact
        var buffer = source.Rent(capacity);
        try
        {
            int filled = 0;
            long line = 1;
            var eof = false;
            var start = true;
            while (true)
            {
                while (!eof && filled < capacity)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled, capacity - filled), ct).ConfigureAwait(false);
                    eof = read == 0;
                    filled += read;
                }

                if (start && buffer.AsSpan(0, filled).StartsWith("\uFEFF"u8))
                {
                    Buffer.BlockCopy(buffer, 3, buffer, 0, filled - 3);
                    filled -= 3;
                }

                start = false;
                if (filled == 0)
                {
                    yield break;
                }

                var cut = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (cut == 0 && (!eof || filled > options.MaxLineBytes))
                {
                    // One line fills the buffer: grow it (to the next power of two, the length of long buffers) up to
                    // the cap, then report the line and skip it.
                    if (capacity < maxBuffer && !eof)
                    {
                        capacity = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)capacity + 1), maxBuffer);
                        buffer = source.Grow(buffer, filled, capacity);
                        continue;
                    }

                    var skipped = (long)filled;
                    filled = 0;
                    while (!eof)
                    {
                        var read = await stream.ReadAsync(buffer.AsMemory(0, capacity), ct).ConfigureAwait(false);
                        eof = read == 0;
                        var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                        skipped += newline < 0 ? read : newline;
                        if (newline >= 0)
                        {
                            filled = read - newline - 1;
                            Buffer.BlockCopy(buffer, newline + 1, buffer, 0, filled);
                            break;
                        }
                    }

                    capacity = Math.Max(blockBytes, filled);  // the big buffer stays, but blocks are block-sized again
                    yield return new NdjsonBlock(source, line++, null, 0, skipped);
                    continue;
                }

                cut = eof ? filled : cut;
                // The filled buffer goes out as the block; only the partial line after the cut moves to a new one.
                var block = new NdjsonBlock(source, line, buffer, cut, 0);
                line += buffer.AsSpan(0, cut).Count((byte)'\n');
                filled -= cut;
                capacity = Math.Max(blockBytes, filled);  // back to block-sized reads after a long line
                var next = source.Rent(capacity);
                Buffer.BlockCopy(buffer, cut, next, 0, filled);
                buffer = next;
                yield return block;
            }
        }
        finally
        {
            source.Return(buffer);
        }
    }

    /// <summary>The non-blank lines one by one (each line's bytes valid until the next is asked for).</summary>
    public static async IAsyncEnumerable<NdjsonLine> ReadLinesAsync(Stream stream, NdjsonSplitOptions options, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var block in ReadBlocksAsync(stream, options, ct).ConfigureAwait(false))
        {
            using (block)
            {
                foreach (var line in block)
                {
                    yield return line;
                }
            }
        }
    }

    /// <summary>
    /// The buffers of one split: pooled up to 4 MB. A longer one is not given to the shared pool (it would stay for the
    /// life of the process) but kept as one of this split's three spares: a long line still being parsed, and the old and
    /// the new buffer of the next long line while it grows. So a file of many long lines allocates no long buffer anew
    /// once it has those three. Long buffers have a power-of-two length (at most what the split can use), so one that
    /// grew for one line fits the next.
    /// </summary>
    internal sealed class BufferSource(NdjsonBufferStats? stats, int maxSize)
    {
        private const int PooledMax = 4 << 20;
        private readonly byte[]?[] _spares = new byte[3][];

        public byte[] Rent(int size)
        {
            var buffer = size <= PooledMax ? Pool.Rent(size) : TakeSpare(size) ?? AllocateLong(size);
            stats?.Add(buffer.Length, 1);
            return buffer;
        }

        public byte[] Grow(byte[] buffer, int filled, int size)
        {
            if (size <= buffer.Length)
            {
                return buffer;
            }

            var bigger = Rent(size);
            Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
            Return(buffer);
            return bigger;
        }

        public void Return(byte[] buffer)
        {
            stats?.Add(-buffer.Length, -1);
            if (buffer.Length <= PooledMax)
            {
                Pool.Return(buffer);
                return;
            }

            // Into an empty slot, else in place of the smallest spare if that is smaller; else let it go.
            lock (_spares)
            {
                var slot = 0;
                for (var i = 0; i < _spares.Length && _spares[slot] is not null; i++)
                {
                    if (_spares[i] is null || _spares[i]!.Length < _spares[slot]!.Length)
                    {
                        slot = i;
                    }
                }

                if (_spares[slot] is null || _spares[slot]!.Length < buffer.Length)
                {
                    _spares[slot] = buffer;
                }
            }
        }

        /// <summary>The smallest spare that holds <paramref name="size"/> bytes, taken out; null when none does.</summary>
        private byte[]? TakeSpare(int size)
        {
            lock (_spares)
            {
                var slot = -1;
                for (var i = 0; i < _spares.Length; i++)
                {
                    if (_spares[i] is { } spare && spare.Length >= size && (slot < 0 || spare.Length < _spares[slot]!.Length))
                    {
                        slot = i;
                    }
                }

                if (slot < 0)
                {
                    return null;
                }

                var taken = _spares[slot];
                _spares[slot] = null;
                return taken;
            }
        }

        /// <summary>A long buffer whose length is the next power of two, but never more than the split can use.</summary>
        private byte[] AllocateLong(int size)
        {
            stats?.LongAllocated();
            return GC.AllocateUninitializedArray<byte>((int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)size), Math.Max(size, maxSize)));
        }
    }
}
