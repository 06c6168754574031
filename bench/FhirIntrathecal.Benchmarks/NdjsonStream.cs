using System.Diagnostics;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// NDJSON streaming at scale: writes an NDJSON file of the given size from the R4 examples (in a temp folder, deleted
/// afterwards), reads it from a <see cref="FileStream"/> on all cores and prints the peak working set and the throughput
/// beside the in-memory figure (the same reader over one pass of the same lines held in a <see cref="MemoryStream"/>,
/// three passes right after the stream).
/// Each mode reads in a fresh process: whole Bundles (a Bundle line is one model) and Bundles entry by entry
/// (<see cref="NdjsonReadOptions.BundleEntries"/>: the live model is a few blocks of entries).
/// <c>dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- ndjson-stream [--gb 2]</c>
/// </summary>
public static class NdjsonStream
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--read", var file, var passBytes, var readMode])
        {
            return await ReadFileAsync(file, long.Parse(passBytes, System.Globalization.CultureInfo.InvariantCulture), readMode == "entries").ConfigureAwait(false);
        }

        var gb = args is ["--gb", var g, ..] ? double.Parse(g, System.Globalization.CultureInfo.InvariantCulture) : 2.0;
        var cache = new PackageCache();
        await new PackageRestorer(cache).RestoreAsync(PackageManifest.Default).ConfigureAwait(false);
        var files = Directory.GetFiles(cache.RequirePackageFolder(PackageManifest.R4Examples), "*.json")
            .Where(f => Path.GetFileName(f) is not ("package.json" or ".index.json")).Order(StringComparer.Ordinal).ToList();
        var folder = Directory.CreateTempSubdirectory("ndjson-stream-");
        try
        {
            var path = Path.Combine(folder.FullName, "r4-examples.ndjson");
            var corpus = await NdjsonCorpus.WriteAsync(files, path, (long)(gb * (1L << 30)), CancellationToken.None).ConfigureAwait(false);
            var size = new FileInfo(path).Length;
            Console.WriteLine($"generated {size:N0} bytes: {corpus.Passes} passes of {corpus.Pass.Count} resources ({corpus.PassBytes:N0} bytes each)");

            // Read in a fresh process per mode, so its peak working set is the reader's alone (not the generator's).
            foreach (var mode in new[] { "whole", "entries" })
            {
                var self = new ProcessStartInfo(Environment.ProcessPath!);
                if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
                {
                    self.ArgumentList.Add(typeof(NdjsonStream).Assembly.Location);
                }

                foreach (var a in new[] { "ndjson-stream", "--read", path, corpus.PassBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), mode })
                {
                    self.ArgumentList.Add(a);
                }

                using var child = Process.Start(self)!;
                await child.WaitForExitAsync().ConfigureAwait(false);
                if (child.ExitCode != 0)
                {
                    return child.ExitCode;
                }
            }

            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The measured part: streams the file, then reads its first pass from memory with the same reader.</summary>
    private static async Task<int> ReadFileAsync(string path, long passBytes, bool entries)
    {
        var size = new FileInfo(path).Length;
        var mode = entries ? "Bundles entry by entry" : "whole Bundles";
        var stats = new NdjsonBufferStats();
        await WarmUpAsync(path, entries).ConfigureAwait(false);
        var before = Process.GetCurrentProcess().WorkingSet64;  // the runtime and the loaded code, before the measured read
        double seconds;
        long peak;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            var (count, errors, s, cpu) = await ReadAsync(stream, Options(entries, stats)).ConfigureAwait(false);
            seconds = s;
            peak = Process.GetCurrentProcess().PeakWorkingSet64;
            Console.WriteLine($"streamed ({mode}): {count:N0} records, {errors} with errors, {size / 1e6 / seconds:F0} MB/s, CPU/wall {cpu / seconds:F2} on {Environment.ProcessorCount} cores, " +
                $"peak working set {peak / 1e6:F0} MB (VmHWM {VmHwm() / 1e6:F0} MB; {before / 1e6:F0} MB before reading), read buffers held at most {stats.PeakBytes / 1e6:F1} MB in {stats.PeakBuffers}, " +
                $"GC heap committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6:F0} MB at the end, {GC.CollectionCount(2)} gen2 collections");
        }

        var inMemory = new byte[passBytes];
        await using (var first = File.OpenRead(path))
        {
            await first.ReadExactlyAsync(inMemory).ConfigureAwait(false);
        }

        // Three passes right after the stream, as one figure (all bytes over all time), the best pass printed beside it:
        // the stream is one long read, and the best of a few short ones would set its reference at the machine's fastest moment.
        var passes = new List<double>();
        double total = 0, totalCpu = 0;
        for (var i = 0; i < 3; i++)
        {
            using var ms = new MemoryStream(inMemory, writable: false);
            var (_, _, s, c) = await ReadAsync(ms, Options(entries, null)).ConfigureAwait(false);
            passes.Add(inMemory.Length / 1e6 / s);
            total += s;
            totalCpu += c;
        }

        var best = passes.Max();
        var reference = passes.Count * inMemory.Length / 1e6 / total;
        var streamed = size / 1e6 / seconds;
        Console.WriteLine($"in memory ({mode}, one pass, same reader, three passes): {reference:F0} MB/s (passes {string.Join(", ", passes.Select(p => p.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} MB/s), CPU/wall {totalCpu / total:F2}");
        Console.WriteLine($"NDJSON stream {size / 1e9:F2} GB, {mode}: peak working set {peak / 1e6:F0} MB (target < 300), throughput {streamed / reference:P0} of in-memory (target >= 80%; {streamed / best:P0} of the best pass), " +
            $"GC {RunEnvironment.Gc()}, load average {RunEnvironment.LoadAverage()}");
        return 0;
    }

    /// <summary>The same reader over the file's first 16 MB of lines, so the streamed read is not timed with the JIT's warm-up (the in-memory reads run warm).</summary>
    private static async Task WarmUpAsync(string path, bool entries)
    {
        var head = new byte[16 << 20];
        int length;
        await using (var file = File.OpenRead(path))
        {
            length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false).ConfigureAwait(false);
        }

        using var lines = new MemoryStream(head, 0, head.AsSpan(0, length).LastIndexOf((byte)'\n') + 1, writable: false);
        await ReadAsync(lines, Options(entries, null)).ConfigureAwait(false);
    }

    private static NdjsonReadOptions Options(bool entries, NdjsonBufferStats? stats) => new() { BundleEntries = entries, Stats = stats };

    /// <summary>The process's peak resident set from /proc (0 where there is none).</summary>
    private static long VmHwm()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task<(long Count, long Errors, double Seconds, double CpuSeconds)> ReadAsync(Stream stream, NdjsonReadOptions options)
    {
        long count = 0, errors = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await foreach (var record in Ndjson.ReadAsync(stream, options).ConfigureAwait(false))
        {
            count++;
            errors += record.Result.Success ? 0 : 1;
        }

        return (count, errors, sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }
}
