using FhirIntrathecal.Service.Ingest;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>
/// Two `serve` processes share one PostgreSQL outbox and drain 10,000 Patients into the sandbox. First pushes are
/// plain creates (ConditionalCreate=OnRetry), so an item pushed twice would show as a second Patient on the server:
/// the check is one Patient per identifier, every item delivered once (attempts = 1), both instances at work.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoInstanceTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Resources = 10_000;

    [Fact]
    public async Task Two_instances_on_one_postgres_outbox_push_every_item_exactly_once()
    {
        if (postgres.SkipReason is { } reason)
        {
            TestData.Report(output, $"two-instance: SKIPPED: {reason}");
            Assert.Skip(reason);
        }

        var connection = await postgres.CreateDatabaseAsync();
        await using var store = new PostgresOutboxStore(connection);
        await store.InitializeAsync(default);
        await using var sandbox = await TestData.StartSandboxAsync();
        const string system = "urn:test:two-instances";
        var work = TestData.TempDir("two");
        string[] Args(string name) =>
        [
            .. ServeArgs.For(sandbox.BaseUri, Path.Combine(work, name)),
            "--Adapter:Outbox:Provider=Postgres", $"--Adapter:Outbox:ConnectionString={connection}", $"--Adapter:InstanceId={name}",
            "--Adapter:Inbox:Enabled=false", "--Adapter:Dispatcher:ConditionalCreate=OnRetry", "--Adapter:Dispatcher:BatchSize=50",
        ];

        await using var a = ServiceProcess.Start(work, Args("instance-a"));
        await using var b = ServiceProcess.Start(work, Args("instance-b"));
        // Both running (heartbeats) before the work arrives, so neither has a head start.
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await store.ReadHeartbeatsAsync(default)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < until && !a.HasExited && !b.HasExited, a.Log + b.Log);
            await Task.Delay(200);
        }

        var started = DateTime.UtcNow;
        for (var first = 0; first < Resources; first += 1000)
        {
            var chunk = Enumerable.Range(first, 1000)
                .Select(i => OutboxItemFactory.ForResource(FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser.Parse(TestData.PatientJson(system, TestData.Value(i))).Value!, $"test:{i}", "two"))
                .ToList();
            await store.EnqueueAsync(chunk, DateTimeOffset.UtcNow, default);
        }

        var drained = await TestData.WaitForDrainAsync(store, Resources, TimeSpan.FromMinutes(4), () => a.HasExited || b.HasExited);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Assert.Equal(0, await a.StopAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await b.StopAsync(TimeSpan.FromSeconds(60)));

        var rows = await store.ListAsync(OutboxItemStatus.Delivered, Resources + 1, default);
        var byInstance = rows.GroupBy(r => r.LeaseOwner ?? "?").ToDictionary(g => g.Key, g => g.Count());
        var pushedTwice = rows.Count(r => r.Attempts != 1);
        var found = await TestData.PatientIdentifiersAsync(sandbox.BaseUri, system);
        var (lost, duplicated) = TestData.Compare(found, Enumerable.Range(0, Resources).Select(TestData.Value));
        TestData.Report(output,
            $"two-instance: lost={lost} duplicated={duplicated} pushed-twice={pushedTwice} left-behind={drained.Pending + drained.Leased} ({Resources} resources, " +
            $"{string.Join(", ", byInstance.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}; {seconds:0.0} s, {Resources / seconds:0} resources/s)");
        Assert.Equal(Resources, drained.Delivered);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, pushedTwice);
        Assert.Equal(2, byInstance.Count);
        Assert.All(byInstance.Values, n => Assert.True(n > Resources / 10, $"one instance did almost nothing: {n}"));
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task The_leases_of_an_instance_killed_mid_run_expire_and_the_other_instance_delivers_its_items()
    {
        if (postgres.SkipReason is { } reason)
        {
            TestData.Report(output, $"dead-instance: SKIPPED: {reason}");
            Assert.Skip(reason);
        }

        const int count = 3_000;
        var connection = await postgres.CreateDatabaseAsync();
        await using var store = new PostgresOutboxStore(connection);
        await store.InitializeAsync(default);
        await using var sandbox = await TestData.StartSandboxAsync();
        const string system = "urn:test:dead-instance";
        var work = TestData.TempDir("dead");
        string[] Args(string name) =>
        [
            .. ServeArgs.For(sandbox.BaseUri, Path.Combine(work, name)),
            "--Adapter:Outbox:Provider=Postgres", $"--Adapter:Outbox:ConnectionString={connection}", $"--Adapter:InstanceId={name}",
            "--Adapter:Inbox:Enabled=false", "--Adapter:Dispatcher:ConditionalCreate=OnRetry", "--Adapter:Dispatcher:BatchSize=50",
            // The shortest lease the validator allows for a 2 s request timeout.
            "--Adapter:Fhir:RequestTimeout=00:00:02", "--Adapter:Outbox:LeaseDuration=00:00:16",
        ];

        await store.EnqueueAsync(Enumerable.Range(0, count)
            .Select(i => OutboxItemFactory.ForResource(FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser.Parse(TestData.PatientJson(system, TestData.Value(i))).Value!, $"test:{i}", "dead"))
            .ToList(), DateTimeOffset.UtcNow, default);
        await using var survivor = ServiceProcess.Start(work, Args("survivor"));
        await using (var victim = ServiceProcess.Start(work, Args("victim")))
        {
            // Kill the victim while it holds leases.
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!(await store.ListAsync(OutboxItemStatus.Leased, 1000, default)).Any(r => r.LeaseOwner == "victim"))
            {
                Assert.True(DateTime.UtcNow < until && !victim.HasExited, victim.Log);
                await Task.Delay(20);
            }

            await victim.KillHardAsync();
        }

        var orphaned = (await store.ListAsync(OutboxItemStatus.Leased, 1000, default)).Count(r => r.LeaseOwner == "victim");
        var drained = await TestData.WaitForDrainAsync(store, count, TimeSpan.FromMinutes(3), () => survivor.HasExited);
        Assert.Equal(0, await survivor.StopAsync(TimeSpan.FromSeconds(60)));
        var rows = await store.ListAsync(OutboxItemStatus.Delivered, count + 1, default);
        var takenOver = rows.Count(r => r.Attempts > 1);
        var found = await TestData.PatientIdentifiersAsync(sandbox.BaseUri, system);
        var (lost, duplicated) = TestData.Compare(found, Enumerable.Range(0, count).Select(TestData.Value));
        TestData.Report(output, $"dead-instance: lost={lost} duplicated={duplicated} ({count} items; {orphaned} leased by the killed instance, taken over after lease expiry: {takenOver} re-pushed by the survivor)");
        Assert.Equal(count, drained.Delivered);
        Assert.True(orphaned > 0);
        Assert.True(takenOver >= orphaned);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Directory.Delete(work, recursive: true);
    }
}
