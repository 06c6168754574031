using System.Buffers;
using System.Runtime.CompilerServices;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// One non-blank NDJSON line (1-based number, without its line break). <see cref="Bytes"/> lies in the reader's buffer
/// and is valid only until the next line is asked for: copy it to keep it. <see cref="TooLong"/> (no bytes) when it was cut.
/// </summary>
public readonly record struct NdjsonLine(long Number, ReadOnlyMemory<byte> Bytes, bool TooLong);

/// <summary>
/// Splits a stream into NDJSON lines with a bound on line length: a longer line is reported (<see cref="NdjsonLine.TooLong"/>,
/// no bytes) and skipped up to its newline, so memory stays bounded by <c>maxLineBytes</c> whatever the input.
/// </summary>
public static class NdjsonLines
{
    public static async IAsyncEnumerable<NdjsonLine> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxLineBytes, 64 * 1024) + 1);
        try
        {
            int start = 0, end = 0;
            long number = 1;
            var skipping = false;
            var eof = false;
            while (!eof || start < end)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0 && !eof)
                {
                    if (end - start > maxLineBytes)
                    {
                        // Too long: report once, then drop bytes until the newline.
                        if (!skipping)
                        {
                            yield return new NdjsonLine(number, ReadOnlyMemory<byte>.Empty, true);
                        }

                        skipping = true;
                        start = end = 0;
                    }

                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxLineBytes + 1L));
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
                var line = buffer.AsMemory(start, lineEnd - start);
                if (line.Length > 0 && line.Span[^1] == '\r')
                {
                    line = line[..^1];
                }

                if (skipping)
                {
                    skipping = false;
                }
                else if (line.Length > maxLineBytes)
                {
                    yield return new NdjsonLine(number, ReadOnlyMemory<byte>.Empty, true);
                }
                else if (!line.Span.Trim(" \t"u8).IsEmpty)
                {
                    yield return new NdjsonLine(number, line, false);
                }

                number++;
                start = newline < 0 ? end : newline + 1;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
