using System.Diagnostics;
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
/// A ~200 MB NDJSON file generated from the R4 examples is read as a stream on all cores: every line comes back in
/// order, and the live managed heap stays bounded by the read-ahead and the longest line, not by the input (memory,
/// not time, is asserted). The corpus's longest line is a ~30 MB Bundle, so that term dominates the bound.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class NdjsonMemoryBoundTests(ITestOutputHelper output)
{
    private const long TargetBytes = 200L << 20;
    /// <summary>Live heap allowed besides the longest line's model: the read-ahead (4 blocks of 1 MB) and their models.</summary>
    private const long ReadAheadBound = 64L << 20;

    /// <summary>Live bytes per byte of the longest line: its model and the line itself.</summary>
    private const long LongestLineFactor = 5;

    [Fact]
    public async Task A_200_MB_NDJSON_file_streams_with_a_bounded_live_heap_and_every_line_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("ndjson-stream-");
        try
        {
            // Before the corpus is written: what the writer leaves behind must not hide the reader's heap.
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var file = Path.Combine(folder.FullName, "r4-examples.ndjson");
            var corpus = await NdjsonCorpus.WriteAsync(FhirPackages.ExampleFiles(), file, TargetBytes, ct);
            var expected = corpus.Pass;
            var size = new FileInfo(file).Length;
            var bound = ReadAheadBound + (LongestLineFactor * corpus.LongestLine);

            long samples = 0;
            long peakLive = 0, peakFirstPass = 0, peakSecondPass = 0, count = 0, lastLine = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                await foreach (var record in Ndjson.ReadAsync(stream, NdjsonReadOptions.Default, ct))
                {
                    Assert.True(record.LineNumber > lastLine);
                    lastLine = record.LineNumber;
                    Assert.True(record.Result.Success, $"line {record.LineNumber}: {(record.Result.Issues.Count > 0 ? record.Result.Issues[0] : null)}");
                    var (type, id) = expected[(int)(count % expected.Count)];
                    Assert.Equal(type, record.Result.Value!.TypeInfo.Name);
                    Assert.Equal(id, record.Result.Value.Id);
                    // Sampled at the same lines of every pass, so the passes compare.
                    if (++count % expected.Count % 250 == 0)
                    {
                        var live = GC.GetTotalMemory(forceFullCollection: true) - baseline;
                        samples++;
                        peakLive = Math.Max(peakLive, live);
                        if (count <= expected.Count)
                        {
                            peakFirstPass = Math.Max(peakFirstPass, live);
                        }
                        else if (count <= 2L * expected.Count)
                        {
                            peakSecondPass = Math.Max(peakSecondPass, live);
                        }
                    }
                }
            }

            sw.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            output.WriteLine($"NDJSON stream: {size / 1e6:F0} MB, {count} resources, {size / 1e6 / sw.Elapsed.TotalSeconds:F0} MB/s, " +
                $"CPU/wall {cpuSeconds / sw.Elapsed.TotalSeconds:F2} on {Environment.ProcessorCount} cores, peak live heap {peakLive / 1e6:F0} MB " +
                $"(first pass {peakFirstPass / 1e6:F0} MB, second {peakSecondPass / 1e6:F0} MB) " +
                $"(bound {bound / 1e6:F0} MB: 64 MB + {LongestLineFactor} × the longest line of {corpus.LongestLine / 1e6:F1} MB), process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
            Assert.Equal(corpus.Lines, count);
            Assert.True(samples > 40 && peakLive > 0, $"{samples} samples, peak {peakLive}: the heap was not measured");
            Assert.InRange(peakLive, 0, bound);
            // Not growing with the input: the second pass of the same lines peaks about as high as the first (the
            // margin is for which blocks happen to be in flight at a sample).
            Assert.InRange(peakSecondPass, 0, (peakFirstPass * 5 / 4) + (16L << 20));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
