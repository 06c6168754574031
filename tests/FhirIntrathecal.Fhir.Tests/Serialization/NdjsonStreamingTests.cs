using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Tests.Validation;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>NDJSON read from a stream by several workers: records in line order, located errors, bounded buffers.</summary>
public class NdjsonStreamingTests
{
    private static MemoryStream Lines(IEnumerable<string> lines) => new(Encoding.UTF8.GetBytes(string.Join("\n", lines)));

    private static async Task<List<NdjsonRecord>> ReadAll(Stream stream, NdjsonReadOptions options)
    {
        var records = new List<NdjsonRecord>();
        await foreach (var r in Ndjson.ReadAsync(stream, options, TestContext.Current.CancellationToken))
        {
            records.Add(r);
        }

        return records;
    }

    [Fact]
    public async Task Many_small_blocks_on_four_workers_come_out_in_line_order_with_bad_lines_located()
    {
        // 1,000 lines; every 100th is blank, line 500 is broken JSON, CRLF endings on odd lines, no final newline.
        var lines = Enumerable.Range(1, 1000).Select(n => n switch
        {
            500 => "{\"resourceType\":\"Patient\",\"id\":",
            _ when n % 100 == 0 => "",
            _ => $"{{\"resourceType\":\"Patient\",\"id\":\"p{n}\"}}" + (n % 2 == 1 ? "\r" : ""),
        });
        using var stream = Lines(lines);
        var records = await ReadAll(stream, new NdjsonReadOptions { Parallelism = 4, BlockBytes = 200 });

        Assert.Equal(1000 - 9, records.Count);
        Assert.Equal(Enumerable.Range(1, 1000).Where(n => n % 100 != 0 || n == 500), records.Select(r => (int)r.LineNumber));
        foreach (var r in records.Where(r => r.LineNumber != 500))
        {
            Assert.True(r.Result.Success);
            Assert.Equal($"p{r.LineNumber}", r.Result.Value!.Id);
        }

        var bad = Assert.Single(records, r => !r.Result.Success);
        Assert.Equal(500, bad.LineNumber);
        Assert.Equal(ParseCodes.Syntax, bad.Result.Issues[0].Code);
        Assert.Equal(500, bad.Result.Issues[0].Line);
    }

    [Fact]
    public async Task A_line_over_the_cap_is_a_located_too_large_error_and_the_next_lines_are_read()
    {
        var huge = "{\"resourceType\":\"Patient\",\"id\":\"big\",\"name\":[{\"text\":\"" + new string('x', 5000) + "\"}]}";
        string[] lines = ["{\"resourceType\":\"Patient\",\"id\":\"a\"}", huge, "{\"resourceType\":\"Patient\",\"id\":\"b\"}", huge];
        using var stream = Lines(lines);
        var records = await ReadAll(stream, new NdjsonReadOptions { Parallelism = 2, BlockBytes = 64, MaxLineBytes = 1000 });

        Assert.Equal([1L, 2, 3, 4], records.Select(r => r.LineNumber));
        Assert.Equal("a", records[0].Result.Value!.Id);
        Assert.Equal("b", records[2].Result.Value!.Id);
        foreach (var tooLong in new[] { records[1], records[3] })
        {
            Assert.Null(tooLong.Result.Value);
            var issue = Assert.Single(tooLong.Result.Issues);
            Assert.Equal(ParseCodes.TooLarge, issue.Code);
            Assert.Equal(tooLong.LineNumber, issue.Line);
        }

        // Under the cap the same line is read: the cap, not the block size, decides.
        using var again = Lines(lines);
        var read = await ReadAll(again, new NdjsonReadOptions { Parallelism = 2, BlockBytes = 64, MaxLineBytes = 8000 });
        Assert.All(read, r => Assert.True(r.Result.Success));
        Assert.Equal(5000, ((Patient)read[1].Result.Value!).Name[0].Text!.Value!.Length);
    }
}

/// <summary>
/// NDJSON generated from the R4 examples is read as a stream on all cores, Bundles entry by entry, at two sizes (one
/// pass of the examples, ~160 MB, and two passes, ~320 MB): every line comes back in order, and what the reader holds
/// does not grow with the input. Asserted on figures that do not depend on when the GC runs: the read buffers the
/// splitter itself counts (bounded by the read-ahead and the longest line, a ~25 MB Bundle), and the live heap after a
/// forced full collection at fixed points, against a generous bound that does not depend on the input size.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class NdjsonMemoryBoundTests(ITestOutputHelper output)
{
    private const long Mb = 1L << 20;

    [Fact]
    public async Task Two_sizes_of_NDJSON_stream_with_the_same_bounded_buffers_and_live_heap_and_every_line_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("ndjson-stream-");
        try
        {
            var large = Path.Combine(folder.FullName, "two-passes.ndjson");
            var corpus = await NdjsonCorpus.WriteAsync(FhirPackages.ExampleFiles(), large, 200 * Mb, ct);
            Assert.Equal(2, corpus.Passes);
            var small = Path.Combine(folder.FullName, "one-pass.ndjson");
            File.Copy(large, small);
            await using (var truncate = new FileStream(small, FileMode.Open, FileAccess.Write))
            {
                truncate.SetLength(corpus.PassBytes);
            }

            // By construction: the read-ahead (2 units per worker, a 1 MB pooled block each, the buffer being filled, one
            // growing) and the longest line's buffer (grown by doubling: under 2× the line), its spare and one growth.
            var workers = Environment.ProcessorCount;
            var bufferBound = ((2 * workers) + 4) * Mb + (4 * corpus.LongestLine);
            var heapBound = (64 * Mb) + (3 * corpus.LongestLine);
            var one = await Read(small, corpus, 1, ct);
            var two = await Read(large, corpus, 2, ct);
            foreach (var (name, run) in new[] { ("one pass", one), ("two passes", two) })
            {
                output.WriteLine($"NDJSON stream, {name}: {run.Bytes / 1e6:F0} MB, {run.Lines} lines, {run.Records} records (Bundles entry by entry); " +
                    $"read buffers held at most {run.Stats.PeakBytes / 1e6:F1} MB in {run.Stats.PeakBuffers} (bound {bufferBound / 1e6:F0} MB, {(2 * workers) + 4}); " +
                    $"live heap after a full GC at most {run.Held / 1e6:F0} MB above the heap before the read (bound {heapBound / 1e6:F0} MB); " +
                    $"longest line {corpus.LongestLine / 1e6:F1} MB");
                Assert.InRange(run.Stats.PeakBytes, 1, bufferBound);
                Assert.InRange(run.Stats.PeakBuffers, 2, (2 * workers) + 4);
                Assert.Equal(0, run.Stats.Bytes);  // every buffer given back
                Assert.True(run.Held <= heapBound, $"live heap {run.Held / 1e6:F0} MB above the start, bound {heapBound / 1e6:F0} MB");
            }

            Assert.Equal(2 * one.Records, two.Records);
            // Memory does not grow with the input: in the two-pass read, the second pass's live heap stays within 16 MB
            // of the first pass's. Only the reader allocates meanwhile; the rest of the process's heap can only shrink
            // (pools trimmed by the runtime), which makes neither bound pass wrongly.
            output.WriteLine($"two passes: live heap at most {two.FirstPassPeak / 1e6:F0} MB in the first pass, {two.SecondPassPeak / 1e6:F0} MB in the second");
            Assert.True(two.SecondPassPeak <= two.FirstPassPeak + (16 * Mb), $"the second pass held {(two.SecondPassPeak - two.FirstPassPeak) / 1e6:F0} MB more than the first");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A read: <see cref="Held"/> is the live heap while reading (after a full GC, every 500 lines) above the live heap
    /// before it; the peaks of the first and the second pass over the corpus are kept apart.
    /// </summary>
    private sealed record Run(long Bytes, long Lines, long Records, NdjsonBufferStats Stats, long Before, long FirstPassPeak, long SecondPassPeak)
    {
        public long Held => Math.Max(FirstPassPeak, SecondPassPeak) - Before;
    }

    private static async Task<Run> Read(string file, NdjsonCorpusInfo corpus, int passes, CancellationToken ct)
    {
        var stats = new NdjsonBufferStats();
        long lines = 0, records = 0, lastLine = 0;
        var peaks = new long[passes];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            await foreach (var record in Ndjson.ReadAsync(stream, new NdjsonReadOptions { BundleEntries = true, Stats = stats }, ct))
            {
                records++;
                Assert.True(record.Result.Success, $"line {record.LineNumber}: {(record.Result.Issues.Count > 0 ? record.Result.Issues[0] : null)}");
                Assert.True(record.LineNumber > lastLine || (record.LineNumber == lastLine && record.Entry is not null));
                lastLine = record.LineNumber;
                if (record.Entry is not null)
                {
                    continue;
                }

                var (type, id) = corpus.Pass[(int)(lines++ % corpus.Pass.Count)];
                Assert.Equal((type, id), (record.Result.Value!.TypeInfo.Name, record.Result.Value.Id));
                if (lines % 500 == 0)
                {
                    var pass = (int)Math.Min(passes - 1, (lines - 1) / corpus.Pass.Count);
                    peaks[pass] = Math.Max(peaks[pass], GC.GetTotalMemory(forceFullCollection: true));
                }
            }
        }

        Assert.Equal((long)corpus.Pass.Count * passes, lines);
        return new Run(new FileInfo(file).Length, lines, records, stats, before, peaks[0], peaks[^1]);
    }
}
