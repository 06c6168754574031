using System.Text;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>The one NDJSON splitter: line numbers, CRLF, blank lines, a last line without a break, a BOM, the line cap, bounded buffers.</summary>
public class NdjsonSplitterTests
{
    private static async Task<List<(long Number, string Text, long Skipped)>> Lines(string text, NdjsonSplitOptions options)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await NdjsonSplitter.ReadLinesAsync(stream, options, TestContext.Current.CancellationToken)
            .Select(l => (l.Number, Encoding.UTF8.GetString(l.Bytes.Span), l.SkippedBytes)).ToListAsync(TestContext.Current.CancellationToken);
    }

    public static TheoryData<int> BlockSizes => new(4, 7, 64, 1 << 20);

    [Theory]
    [MemberData(nameof(BlockSizes))]
    public async Task Lines_are_numbered_in_the_file_with_crlf_blank_lines_and_a_last_line_without_a_break(int blockBytes)
    {
        var text = "\uFEFFa1\r\n\n  \t\r\nb22\n\r\n{\"x\":\"é\"}\nlast";

        var lines = await Lines(text, new NdjsonSplitOptions { BlockBytes = blockBytes, MaxLineBytes = 100 });

        Assert.Equal([(1L, "a1", 0L), (4, "b22", 0), (6, "{\"x\":\"é\"}", 0), (7, "last", 0)], lines);
    }

    [Theory]
    [MemberData(nameof(BlockSizes))]
    public async Task A_line_over_the_cap_is_reported_at_its_line_and_skipped_and_the_next_lines_are_read(int blockBytes)
    {
        var text = "ok\n" + new string('x', 30) + "\r\nfits-ten-b\n" + new string('y', 11) + "\nend\n" + new string('z', 12);

        var lines = await Lines(text, new NdjsonSplitOptions { BlockBytes = blockBytes, MaxLineBytes = 10 });

        // The cap counts the line without its break: 10 bytes fit, 11 do not (the CR of a CRLF is counted as the line's).
        Assert.Equal([(1L, "ok", 0L), (2, "", 31), (3, "fits-ten-b", 0), (4, "", 11), (5, "end", 0), (6, "", 12)], lines);
    }

    [Fact]
    public async Task Only_a_leading_byte_order_mark_is_dropped()
    {
        var lines = await Lines("\uFEFF\uFEFFa\n\uFEFFb", new NdjsonSplitOptions { BlockBytes = 4 });

        Assert.Equal([(1L, "\uFEFFa", 0L), (2, "\uFEFFb", 0)], lines);
    }

    [Fact]
    public async Task Empty_and_blank_inputs_have_no_lines()
    {
        Assert.Empty(await Lines("", NdjsonSplitOptions.Default));
        Assert.Empty(await Lines("\uFEFF", NdjsonSplitOptions.Default));
        Assert.Empty(await Lines("\n\r\n \n", NdjsonSplitOptions.Default));
    }

    [Fact]
    public async Task Blocks_hold_whole_lines_and_every_buffer_goes_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var text = string.Concat(Enumerable.Range(1, 500).Select(n => $"line{n}\n")) + new string('x', 5000) + "\nafter";
        var stats = new NdjsonBufferStats();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var numbers = new List<long>();
        var blocks = 0;
        await foreach (var block in NdjsonSplitter.ReadBlocksAsync(stream, new NdjsonSplitOptions { BlockBytes = 256, MaxLineBytes = 1000, Stats = stats }, ct))
        {
            using (block)
            {
                blocks++;
                Assert.True(block.Bytes.IsEmpty || block.Bytes.Span[^1] == '\n' || Encoding.UTF8.GetString(block.Bytes.Span) == "after");
                foreach (var line in block)
                {
                    numbers.Add(line.Number);
                    Assert.Equal(line.TooLong ? "" : line.Number == 502 ? "after" : $"line{line.Number}", Encoding.UTF8.GetString(line.Bytes.Span));
                }
            }
        }

        Assert.Equal(Enumerable.Range(1, 502).Select(n => (long)n), numbers);
        Assert.InRange(blocks, 16, 40);
        // The split's own buffer and one block at a time (each at most a 1 KB pooled array: the cap bounds it), all returned.
        Assert.InRange(stats.PeakBuffers, 2, 2);
        Assert.InRange(stats.PeakBytes, 2 * 256, 2 * 1024);
        Assert.Equal(0, stats.Bytes);
    }

    [Fact]
    public async Task Long_lines_reuse_the_long_buffers_of_the_first_ones()
    {
        // Lines over the 4 MB pool, in sizes that grow the buffer from odd lengths (a long line after a partial one),
        // twice over; each block is held (as a worker parsing it would) until the next one is read.
        var ct = TestContext.Current.CancellationToken;
        int[] round = [5 << 20, 9 << 20, (5 << 20) + 12345, 3 << 20, (9 << 20) - 777, 6 << 20, 9 << 20, 5 << 20];
        int[] sizes = [.. round, .. round];
        var input = new MemoryStream();
        foreach (var (size, n) in sizes.Select((s, n) => (s, n)))
        {
            input.Write(Enumerable.Repeat((byte)('a' + n), size).ToArray());
            input.WriteByte((byte)'\n');
        }

        input.Position = 0;
        var stats = new NdjsonBufferStats();
        var lengths = new List<int>();
        long allocatedInFirstRound = -1;
        NdjsonBlock? held = null;
        await foreach (var block in NdjsonSplitter.ReadBlocksAsync(input, new NdjsonSplitOptions { Stats = stats }, ct))
        {
            foreach (var line in block)
            {
                lengths.Add(line.Bytes.Length);
                Assert.True(line.Bytes.Span.IndexOfAnyExcept(line.Bytes.Span[0]) < 0);
                allocatedInFirstRound = lengths.Count == round.Length ? stats.LongBuffersAllocated : allocatedInFirstRound;
            }

            held?.Dispose();
            held = block;
        }

        held?.Dispose();
        Assert.Equal(sizes, lengths);
        // The first round allocates the few long buffers in use at once (power-of-two lengths: 8 and 16 MB); the
        // second round reuses them instead of allocating one or two per long line.
        Assert.InRange(allocatedInFirstRound, 2, 4);
        Assert.Equal(allocatedInFirstRound, stats.LongBuffersAllocated);
        Assert.Equal(0, stats.Bytes);
    }
}
