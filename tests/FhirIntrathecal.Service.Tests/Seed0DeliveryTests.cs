using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// Issue 10's "same order of time": the seed-0 cohort (examples/cohort-seed0) delivered to the sandbox by `push` and by
/// the service (the registry folder dropped into the inbox, the outbox drained by the dispatcher with its default
/// idempotency), each into a sandbox of its own. Both servers must then hold exactly what `convert` writes, type by
/// type, Provenance included; the printed figures go into README's table. The only timing assertion is the order
/// of magnitude (a 10× bound, both measured in the same run).
/// </summary>
public sealed class Seed0DeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Push_and_the_service_deliver_the_seed0_cohort_completely_in_the_same_order_of_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = TestData.TempDir("seed0-delivery");
        var registry = Path.Combine(RepoRoot(), "examples", "cohort-seed0");

        var convert = await HostRuns.CliAsync(work, "convert", registry, "--out", Path.Combine(work, "converted"));
        Assert.True(convert.ExitCode == 0, convert.StdErr);
        var expected = Directory.GetFiles(Path.Combine(work, "converted", "ndjson"), "*.ndjson")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => File.ReadLines(f).Count(l => l.Length > 0));
        var total = expected.Values.Sum();

        double pushSeconds;
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var clock = Stopwatch.StartNew();
            var push = await HostRuns.CliAsync(work, "push", registry, "--server", sandbox.BaseUri.ToString(), "--park", Path.Combine(work, "parked"));
            pushSeconds = clock.Elapsed.TotalSeconds;
            Assert.True(push.ExitCode == 0, push.StdErr);
            Assert.Equal(expected, await CountsAsync(sandbox.BaseUri, expected.Keys));
        }

        double serviceSeconds;
        await using (var sandbox = await TestData.StartSandboxAsync())
        {
            var serviceWork = Path.Combine(work, "service");
            using var host = AdapterHost.Build([.. ServeArgs.For(sandbox.BaseUri, serviceWork)]);
            await host.StartAsync(ct);
            var clock = Stopwatch.StartNew();
            HostRuns.CopyFolder(registry, Path.Combine(serviceWork, "inbox", "cohort-seed0"));
            await HostRuns.WaitAsync(() => Directory.Exists(Path.Combine(serviceWork, "inbox", "done", "cohort-seed0")), "the inbox to take the registry");
            await using (var store = new SqliteOutboxStore(Path.Combine(serviceWork, "outbox.db")))
            {
                var stats = await store.GetStatsAsync(ct);
                var items = stats.Pending + stats.Leased + stats.Delivered + stats.Dead;
                var drained = await TestData.WaitForDrainAsync(store, items, TimeSpan.FromMinutes(10));
                Assert.Equal(items, drained.Delivered);
            }

            serviceSeconds = clock.Elapsed.TotalSeconds;
            await host.StopAsync(ct);
            Assert.Equal(expected, await CountsAsync(sandbox.BaseUri, expected.Keys));
        }

        TestData.Report(output, string.Create(CultureInfo.InvariantCulture,
            $"seed-0 delivery: {total} resources; push {pushSeconds:0.0} s ({total / pushSeconds:0} resources/s), service inbox→sandbox {serviceSeconds:0.0} s ({total / serviceSeconds:0} resources/s), service/push {serviceSeconds / pushSeconds:0.00}"));
        Assert.True(serviceSeconds < pushSeconds * 10, $"the service took {serviceSeconds:0} s where push took {pushSeconds:0} s");
        Directory.Delete(work, recursive: true);
    }

    private static async Task<Dictionary<string, int>> CountsAsync(Uri server, IEnumerable<string> types)
    {
        using var http = new HttpClient();
        var counts = new Dictionary<string, int>();
        foreach (var type in types)
        {
            var page = JsonNode.Parse(await http.GetStringAsync(new Uri(server, $"{type}?_summary=count")))!;
            counts[type] = (int)page["total"]!;
        }

        return counts;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirIntrathecal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("FhirIntrathecal.sln not found above the test binaries");
    }
}
