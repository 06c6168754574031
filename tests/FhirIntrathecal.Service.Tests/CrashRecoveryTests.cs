using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// 10,000 Patients through the real `serve` process against the sandbox, with kill -9 at random moments (during
/// ingest and during dispatch), each followed by a restart. Afterwards the sandbox must hold each Patient exactly once.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Resources = 10_000;
    private const int Kills = 5;

    [Fact]
    public async Task Kill_minus_nine_at_random_points_loses_and_duplicates_nothing()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var sandbox = await TestData.StartSandboxAsync();
        var work = TestData.TempDir("crash");
        var system = "urn:test:crash";
        await TestData.WriteNdjsonAsync(Path.Combine(work, "inbox"), system, 0, Resources, perFile: 500);

        // OnRetry: the sandbox's conditional create is a linear scan (~20 µs per stored Patient), so first pushes are
        // plain creates and every push that may have landed before a kill goes conditional. Small batches keep the
        // number of items in flight at each kill (and so the slow conditional replays) low.
        var args = ServeArgs.For(sandbox.BaseUri, work,
            "--Adapter:Dispatcher:ConditionalCreate=OnRetry", "--Adapter:Dispatcher:BatchSize=25", "--Adapter:Dispatcher:Concurrency=2",
            // Chunks smaller than a file, so the ingest kill can land with a file half in the outbox (read again after the restart).
            "--Adapter:Inbox:ChunkSize=100");
        var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        var killedAt = new List<string>();
        long target = 0;
        for (var run = 0; run < Kills; run++)
        {
            await using var service = ServiceProcess.Start(work, args);
            string when;
            if (run == 0)
            {
                // First kill while the inbox is being read into the outbox: after the first chunk is durable.
                var until = DateTime.UtcNow.AddSeconds(60);
                await store.InitializeAsync(CancellationToken.None);
                while ((await store.GetStatsAsync(CancellationToken.None)) is var s && s.Pending + s.Leased + s.Delivered == 0 && DateTime.UtcNow < until)
                {
                    await Task.Delay(5);
                }

                await Task.Delay(random.Next(0, 30));
                when = $"ingest ({Directory.EnumerateFiles(Path.Combine(work, "inbox"), "*.ndjson").Count()} of {Resources / 500} files still in the inbox)";
            }
            else
            {
                // Later kills by progress, not time, so each lands while the backlog is being pushed.
                target = Math.Min(Resources - 500, target + random.Next(500, 2_000));
                var until = DateTime.UtcNow.AddSeconds(30);
                await service.WaitStartedAsync(TimeSpan.FromSeconds(60));
                while ((await store.GetStatsAsync(CancellationToken.None)).Delivered < target && DateTime.UtcNow < until)
                {
                    await Task.Delay(random.Next(5, 40));
                }

                when = $"past {target} delivered";
            }

            Assert.False(service.HasExited, service.Log);
            await service.KillHardAsync();
            var stats = File.Exists(store.Path) ? await store.GetStatsAsync(CancellationToken.None) : null;
            target = Math.Max(target, stats?.Delivered ?? 0);
            killedAt.Add($"{when} (delivered {stats?.Delivered ?? 0}, queued {stats?.Pending + stats?.Leased ?? 0})");
        }

        // One graceful stop mid-run as well (SIGTERM, as systemd does): exit code 0 and no lease left behind.
        await using (var graceful = ServiceProcess.Start(work, args))
        {
            // Once the host is up: a SIGTERM before that ends the process at once (143), which is harmless but not under test.
            await graceful.WaitStartedAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(500, 2_000));
            var code = await graceful.StopAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0, $"exit code {code}: {graceful.Log}");
            Assert.Equal(0, (await store.GetStatsAsync(CancellationToken.None)).Leased);
        }

        await using (var final = ServiceProcess.Start(work, args))
        {
            await final.WaitStartedAsync(TimeSpan.FromSeconds(60));
            var drained = await TestData.WaitForDrainAsync(store, Resources, TimeSpan.FromMinutes(4), () => final.HasExited);
            var finalCode = await final.StopAsync(TimeSpan.FromSeconds(60));
            Assert.True(finalCode == 0, $"exit code {finalCode}: {final.Log}");
            Assert.Equal(Resources, drained.Delivered);
            Assert.Equal(0, drained.Dead);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(work, "inbox")));
        // Each input once in done/ (beside it, its .warnings.txt: the test patients carry no narrative, dom-6).
        Assert.Equal(Resources / 500, Directory.EnumerateFiles(Path.Combine(work, "inbox", "done"), "*.ndjson").Count());
        var found = await TestData.PatientIdentifiersAsync(sandbox.BaseUri, system);
        var (lost, duplicated) = TestData.Compare(found, Enumerable.Range(0, Resources).Select(TestData.Value));
        var replays = (await store.ListAsync(OutboxItemStatus.Delivered, Resources + 1, CancellationToken.None)).Count(r => r.Attempts > 1);
        TestData.Report(output, $"crash-recovery: lost={lost} duplicated={duplicated} ({Kills + 2} runs)");
        TestData.Report(output, $"crash-recovery details: {Resources} resources; {Kills} kill -9 at {string.Join("; ", killedAt)}; 1 SIGTERM stop; {replays} item(s) pushed again after a kill; seed {seed}");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        await store.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }
}
