using System.Collections.Concurrent;
using System.Text;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

/// <summary>The outbox contract, run against both stores: dedup by content hash, exclusive leases, expiry, fencing, dead-letter round trip.</summary>
public abstract class OutboxStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Null when the store cannot be had here (PostgreSQL missing); the reason is printed.</summary>
    protected abstract Task<IOutboxStore> CreateAsync();

    protected static NewOutboxItem Item(int i) =>
        new(OutboxItemKind.Entry, "POST", "Patient", $"identifier=urn:t|{i}", Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","id":"{{i}}"}"""), $"hash-{i}", $"f:{i}", "corr");

    [Fact]
    public async Task Enqueueing_the_same_items_again_adds_nothing()
    {
        await using var store = await CreateAsync();
        var items = Enumerable.Range(0, 50).Select(Item).ToList();
        Assert.Equal(50, await store.EnqueueAsync(items, T0, default));
        Assert.Equal(0, await store.EnqueueAsync(items, T0, default));
        Assert.Equal(5, await store.EnqueueAsync(Enumerable.Range(45, 10).Select(Item).ToList(), T0, default));
        Assert.Equal(55, (await store.GetStatsAsync(default)).Pending);
    }

    [Fact]
    public async Task Concurrent_leasers_never_get_the_same_item()
    {
        await using var store = await CreateAsync();
        await store.EnqueueAsync(Enumerable.Range(0, 1000).Select(Item).ToList(), T0, default);
        var seen = new ConcurrentDictionary<long, string>();
        var duplicates = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var owner = $"w{w}";
            while (true)
            {
                var leased = await store.LeaseAsync(owner, 17, OutboxItemKind.Entry, T0, TimeSpan.FromMinutes(1), default);
                if (leased.Count == 0)
                {
                    return;
                }

                foreach (var item in leased)
                {
                    if (!seen.TryAdd(item.Id, owner))
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                }

                await store.RecordAsync(owner, leased.Select(l => new ItemResult(l.Id, ItemResultKind.Delivered, 201, $"Patient/{l.Id}", null, null)).ToList(), T0, default);
            }
        })));
        Assert.Equal(0, duplicates);
        Assert.Equal(1000, seen.Count);
        Assert.Equal(1000, (await store.GetStatsAsync(default)).Delivered);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_the_old_owner_can_no_longer_record()
    {
        await using var store = await CreateAsync();
        await store.EnqueueAsync([Item(1)], T0, default);
        var first = Assert.Single(await store.LeaseAsync("dead-instance", 10, OutboxItemKind.Entry, T0, TimeSpan.FromSeconds(30), default));
        Assert.Empty(await store.LeaseAsync("other", 10, OutboxItemKind.Entry, T0.AddSeconds(29), TimeSpan.FromSeconds(30), default));
        var second = Assert.Single(await store.LeaseAsync("other", 10, OutboxItemKind.Entry, T0.AddSeconds(31), TimeSpan.FromSeconds(30), default));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal(0, await store.RecordAsync("dead-instance", [new ItemResult(first.Id, ItemResultKind.Delivered, 201, "Patient/x", null, null)], T0.AddSeconds(32), default));
        Assert.Equal(1, await store.RecordAsync("other", [new ItemResult(first.Id, ItemResultKind.Delivered, 200, "Patient/x", null, null)], T0.AddSeconds(32), default));
    }

    [Fact]
    public async Task Retry_waits_for_its_time_and_dead_items_can_be_listed_retried_and_purged()
    {
        await using var store = await CreateAsync();
        await store.EnqueueAsync([Item(1), Item(2)], T0, default);
        var leased = await store.LeaseAsync("me", 10, OutboxItemKind.Entry, T0, TimeSpan.FromMinutes(1), default);
        await store.RecordAsync("me",
        [
            new ItemResult(leased[0].Id, ItemResultKind.Retry, 503, null, null, "503", T0.AddSeconds(10)),
            new ItemResult(leased[1].Id, ItemResultKind.Dead, 400, null, """{"resourceType":"OperationOutcome"}""", "rejected"),
        ], T0, default);
        Assert.Empty(await store.LeaseAsync("me", 10, OutboxItemKind.Entry, T0.AddSeconds(9), TimeSpan.FromMinutes(1), default));
        Assert.Single(await store.LeaseAsync("me", 10, OutboxItemKind.Entry, T0.AddSeconds(11), TimeSpan.FromMinutes(1), default));

        var dead = Assert.Single(await store.ListAsync(OutboxItemStatus.Dead, 10, default));
        Assert.Equal(400, dead.ServerStatus);
        Assert.Contains("OperationOutcome", dead.Outcome, StringComparison.Ordinal);
        Assert.Equal(1, await store.RetryDeadAsync(dead.Id, T0, default));
        Assert.Equal(0, await store.PurgeAsync(OutboxItemStatus.Dead, null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PurgeAsync(OutboxItemStatus.Pending, null, default));
        var stats = await store.GetStatsAsync(default);
        Assert.Equal((1, 1, 0L), (stats.Pending, stats.Leased, stats.Dead));
    }
}

public sealed class SqliteOutboxStoreTests : OutboxStoreContract, IDisposable
{
    private readonly string _dir = TestData.TempDir("sqlite-outbox");

    protected override async Task<IOutboxStore> CreateAsync()
    {
        var store = new SqliteOutboxStore(Path.Combine(_dir, $"{Guid.NewGuid():N}.db"));
        await store.InitializeAsync(default);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresOutboxStoreTests(PostgresFixture postgres, ITestOutputHelper output) : OutboxStoreContract
{
    protected override async Task<IOutboxStore> CreateAsync()
    {
        if (postgres.SkipReason is { } reason)
        {
            TestData.Report(output, $"SKIPPED (PostgreSQL): {reason}");
            Assert.Skip(reason);
        }

        var store = new PostgresOutboxStore(await postgres.CreateDatabaseAsync());
        // Twice, as two instances starting together do: the schema lock makes it safe.
        await Task.WhenAll(store.InitializeAsync(default), store.InitializeAsync(default));
        return store;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
