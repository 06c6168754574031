using System.Diagnostics;
using System.Globalization;
using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// Push throughput of the synthetic cohort (seed 0, ~8,300 resources in transactions of 50) to the sandbox, and the
/// client's own share of the wall time. A timing handler at the bottom of the chain measures the time spent on the
/// wire and in the server (send, headers, body); with one transaction in flight everything else in the wall time
/// is the client's: serialization, parsing, Polly, input mapping.
/// </summary>
internal static class PushThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parallel = Option(args, "--parallel", 1);
        var rounds = Option(args, "--rounds", 3);
        var registry = CohortGenerator.Generate(0);
        var resources = DomainToFhir.AllResources(registry, new ExportOptions("bench", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), ReferenceStyle.Relative))
            .Select(p => p.Resource).DistinctBy(r => (r.TypeInfo.Name, r.Id)).ToList();
        Console.WriteLine($"cohort: {registry.Patients.Count} patients, {resources.Count} resources; transactions of 50; parallel {parallel}");

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        var timing = new TimingHandler { InnerHandler = new SocketsHttpHandler() };
        using var fhir = FhirClientFactory.Create(FhirEndpoint.For(sandbox.BaseUri), transport: timing);
        var pusher = new BundlePusher(fhir.Client, new PushOptions { Parallelism = parallel, ParkDirectory = Path.Combine(Path.GetTempPath(), "bench-parked") });

        // Round 0 warms the JIT and fills the server; later rounds upsert the same resources (the idempotent rerun).
        for (var round = 0; round <= rounds; round++)
        {
            timing.Reset();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var units = resources.Chunk(50).Select((c, i) => new PushUnit($"bench#{i}", PushInputs.Transaction(c)));
            var result = await pusher.PushAsync(units);
            var wall = sw.Elapsed;
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var wire = timing.Elapsed;
            var overhead = parallel == 1 ? (wall - wire) / wall : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: {result.Resources} resources in {wall.TotalSeconds:0.00} s = {result.Resources / wall.TotalSeconds:0} resources/s; " +
                $"wire+server {wire.TotalSeconds:0.00} s; client overhead {(double.IsNaN(overhead) ? "n/a (parallel)" : overhead.ToString("P1", CultureInfo.InvariantCulture))}; " +
                $"client CPU {clientCpu.TotalSeconds:0.00} s ({clientCpu / wall:P1} of wall); parked {result.Parked.Count}"));
            if (result.Parked.Count > 0)
            {
                return 1;
            }
        }

        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Sums the time requests spend below the client: connection, send, server work, response body.</summary>
    private sealed class TimingHandler : DelegatingHandler
    {
        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Reset() => Interlocked.Exchange(ref _ticks, 0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(start).Ticks);
            return response;
        }
    }
}
