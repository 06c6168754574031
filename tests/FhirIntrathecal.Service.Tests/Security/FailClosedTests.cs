using System.Net;
using System.Text;
using FhirIntrathecal.Service.Ingest;
using FhirIntrathecal.Service.Intake;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>When something underneath fails, the adapter says so instead of claiming success.</summary>
public sealed class FailClosedTests(ITestOutputHelper output)
{
    [Fact]
    public async Task When_the_outbox_cannot_write_the_intake_answers_503_never_202()
    {
        var work = TestData.TempDir("intake-503");
        await using var real = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        await real.InitializeAsync(CancellationToken.None);
        await using var store = new UnwritableStore(real);
        var url = new Uri($"http://127.0.0.1:{HostRuns.FreePort()}/");
        var options = new IntakeOptions { Enabled = true, Url = url, AllowAnonymousOnLoopback = true };
        await using var intake = new IntakeServer(options, store, new FhirFileReader(new FhirIntrathecal.Exchange.FhirInput.FhirInputReader(null)), new RegistryFolderReader(FhirIntrathecal.Exchange.RegistryExchange.CreateDefault(), new DispatcherOptions()), null, null, TimeProvider.System, NullLoggerFactory.Instance);
        await intake.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = url };

        using var answer = await http.PostAsync("/intake/fhir", new StringContent(TestData.PatientJson("urn:test:503", "a"), Encoding.UTF8, "application/fhir+json"));
        var body = await answer.Content.ReadAsStringAsync();
        output.WriteLine(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains("INTAKE_OUTBOX_UNAVAILABLE", body, StringComparison.Ordinal);
        Assert.Equal("30", answer.Headers.RetryAfter?.ToString());
        await intake.StopAsync(CancellationToken.None);
        Assert.Empty(await real.ListAsync(null, 10, CancellationToken.None));
        Directory.Delete(work, recursive: true);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    public async Task A_redirecting_FHIR_server_leaves_the_item_dead_lettered_never_delivered(int status)
    {
        var elsewhere = 0;
        await using var other = await StartAsync(ctx =>
        {
            Interlocked.Increment(ref elsewhere);
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/fhir+json";
            return ctx.Response.WriteAsync("{\"resourceType\":\"Bundle\",\"type\":\"batch-response\",\"entry\":[{\"response\":{\"status\":\"201 Created\"}}]}");
        });
        await using var redirecting = await StartAsync(ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.Headers.Location = new Uri(other.Root, "fhir/").AbsoluteUri;
            return Task.CompletedTask;
        });
        var work = TestData.TempDir("redirect");
        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri(redirecting.Root, "fhir/"), work)]);
        await host.StartAsync();
        await TestData.WriteNdjsonAsync(Path.Combine(work, "inbox"), "urn:test:redirect", 0, 1, 1);

        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        OutboxRow? row = null;
        var until = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < until && row?.Status is not (OutboxItemStatus.Dead or OutboxItemStatus.Delivered))
        {
            await Task.Delay(200);
            row = await store.ListAsync(null, 10, CancellationToken.None) is [var first, ..] ? first : null;
        }

        await host.StopAsync();
        output.WriteLine($"{status}: {row?.Status} {row?.LastError}");
        Assert.NotNull(row);
        Assert.Equal(OutboxItemStatus.Dead, row.Status);
        Assert.Null(row.DeliveredAt);
        Assert.Contains("redirect", row.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(other.Root.Authority, row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref elsewhere));
        Directory.Delete(work, recursive: true);
    }

    internal static async Task<TestServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    internal sealed class TestServer(WebApplication app, Uri root) : IAsyncDisposable
    {
        public Uri Root { get; } = root;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A real store whose writes fail the way SQLite fails on a full or broken disk (SQLITE_IOERR).</summary>
    private sealed class UnwritableStore(IOutboxStore inner) : IOutboxStore
    {
        public Task InitializeAsync(CancellationToken ct) => inner.InitializeAsync(ct);

        public Task<int> EnqueueAsync(IReadOnlyList<NewOutboxItem> items, DateTimeOffset now, CancellationToken ct) =>
            throw new SqliteException("disk I/O error", 10);

        public Task<IReadOnlyList<LeasedItem>> LeaseAsync(string owner, int max, OutboxItemKind kind, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken ct) =>
            inner.LeaseAsync(owner, max, kind, now, leaseDuration, ct);

        public Task<int> RecordAsync(string owner, IReadOnlyList<ItemResult> results, DateTimeOffset now, CancellationToken ct) => inner.RecordAsync(owner, results, now, ct);

        public Task<int> ReleaseLeasesAsync(string? owner, CancellationToken ct) => inner.ReleaseLeasesAsync(owner, ct);

        public Task<OutboxStats> GetStatsAsync(CancellationToken ct) => inner.GetStatsAsync(ct);

        public Task<IReadOnlyList<OutboxRow>> ListAsync(OutboxItemStatus? status, int limit, CancellationToken ct) => inner.ListAsync(status, limit, ct);

        public Task<int> RetryDeadAsync(long? id, DateTimeOffset now, CancellationToken ct) => inner.RetryDeadAsync(id, now, ct);

        public Task<int> PurgeAsync(OutboxItemStatus status, DateTimeOffset? before, CancellationToken ct) => inner.PurgeAsync(status, before, ct);

        public Task WriteHeartbeatAsync(InstanceHeartbeat heartbeat, CancellationToken ct) => inner.WriteHeartbeatAsync(heartbeat, ct);

        public Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct) => throw new SqliteException("disk I/O error", 10);

        public Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(long afterId, int limit, CancellationToken ct) => inner.ReadAuditAsync(afterId, limit, ct);

        public Task<IReadOnlyList<InstanceHeartbeat>> ReadHeartbeatsAsync(CancellationToken ct) => inner.ReadHeartbeatsAsync(ct);

        public Task<long> ReadCursorAsync(string name, CancellationToken ct) => inner.ReadCursorAsync(name, ct);

        public Task<bool> AdvanceCursorAsync(string name, long from, long to, CancellationToken ct) => inner.AdvanceCursorAsync(name, from, to, ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
