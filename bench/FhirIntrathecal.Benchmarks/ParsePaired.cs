using System.Diagnostics;
using System.Globalization;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// The parse ratios measured paired: the same <see cref="JsonBenchmarks"/> methods BenchmarkDotNet runs (ours,
/// <c>JsonDocument.Parse</c>, Firely's Ostrich mode), one pass each per round in one process, the order rotated every
/// round and no GC forced between passes (as in <see cref="BenchJobAttribute"/>'s job). BenchmarkDotNet measures each
/// benchmark in its own process, one after the other, so a machine that runs 20–40 % slower for a minute (a shared
/// host; measured here) moves the ratios between them; paired passes seconds apart see the same machine. Prints each
/// round's ratios and their median and range, and in how many rounds both targets (≥ 40 % of JsonDocument, ≥ 4×
/// Ostrich) hold.
/// <c>dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- parse-paired [--rounds 12]</c>
/// </summary>
public static class ParsePaired
{
    public static int Run(string[] args)
    {
        var rounds = args is ["--rounds", var r, ..] ? int.Parse(r, CultureInfo.InvariantCulture) : 12;
        var bench = new JsonBenchmarks();
        bench.Setup();
        var bytes = Corpus.R4Examples.Sum(b => (long)b.Length);
        // Columns 0, 1, 2 of every round: ours, JsonDocument.Parse, Firely Ostrich.
        Func<long>[] contenders = [() => bench.Parse(), () => bench.JsonDocumentParse(), () => bench.FirelyParseOstrich()];
        Console.WriteLine($"parse-paired: {Corpus.R4Examples.Count:N0} resources, {bytes / 1e6:F1} MB; {rounds} rounds of one pass each, order rotated; " +
            $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, GC {RunEnvironment.Gc()}");
        for (var warm = 0; warm < 3; warm++)
        {
            foreach (var pass in contenders)
            {
                pass();
            }
        }

        var ms = new double[rounds, contenders.Length];
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var c = (round + k) % contenders.Length;
                ms[round, c] = Time(contenders[c]);
            }

            var (ours, doc, ostrich) = (ms[round, 0], ms[round, 1], ms[round, 2]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round + 1,2}: ours {ours,6:F1} ms, JsonDocument.Parse {doc,6:F1} ms, Firely Ostrich {ostrich,7:F1} ms → {doc / ours,4:P0} of JsonDocument, {ostrich / ours:F2}× Ostrich"));
        }

        var toDoc = Enumerable.Range(0, rounds).Select(i => ms[i, 1] / ms[i, 0]).ToArray();
        var toOstrich = Enumerable.Range(0, rounds).Select(i => ms[i, 2] / ms[i, 0]).ToArray();
        var both = Enumerable.Range(0, rounds).Count(i => toDoc[i] >= 0.40 && toOstrich[i] >= 4.0);
        var oursMedian = Median(Column(ms, 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parse-paired: ours median {oursMedian:F1} ms ({bytes / 1e3 / oursMedian:F0} MB/s); " +
            $"{Median(toDoc):P0} of JsonDocument.Parse (rounds {toDoc.Min():P0}–{toDoc.Max():P0}; target ≥ 40 %), " +
            $"{Median(toOstrich):F2}× Firely Ostrich (rounds {toOstrich.Min():F2}–{toOstrich.Max():F2}; target ≥ 4); " +
            $"both targets in {both} of {rounds} rounds; load average {RunEnvironment.LoadAverage()}"));
        return 0;
    }

    private static double Time(Func<long> pass)
    {
        var sw = Stopwatch.StartNew();
        GC.KeepAlive(pass());
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double[] Column(double[,] ms, int c) => Enumerable.Range(0, ms.GetLength(0)).Select(i => ms[i, c]).ToArray();

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
