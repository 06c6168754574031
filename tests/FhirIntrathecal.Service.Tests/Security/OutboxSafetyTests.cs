using System.Diagnostics;
using System.Text.Json;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>The outbox holds patient data and promises durability: it is private, checked at start, bounded in time and attempts.</summary>
public sealed class OutboxSafetyTests(ITestOutputHelper output)
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_outbox_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not exist on Windows (the file there inherits the folder's ACL).");
        }

        var work = TestData.TempDir("outbox-mode");
        var path = Path.Combine(work, "outbox.db");
        await using (var store = new SqliteOutboxStore(path))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
            await store.EnqueueAsync([Item("a")], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
            foreach (var file in Directory.GetFiles(work, "outbox.db*"))
            {
                output.WriteLine($"{Path.GetFileName(file)}: {File.GetUnixFileMode(file)}");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task Serve_on_a_damaged_outbox_exits_2_with_one_line_and_the_intake_never_answers_durable()
    {
        var work = TestData.TempDir("outbox-damaged");
        var path = Path.Combine(work, "outbox.db");
        await using (var store = new SqliteOutboxStore(path))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
            await store.EnqueueAsync([Item("a")], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            await file.WriteAsync(new byte[100].Select(_ => (byte)'X').ToArray(), TestContext.Current.CancellationToken);
        }

        Assert.NotNull(SqliteOutboxStore.CheckIntegrity(path));
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { ServiceProcess.CliDll, "serve", "--Adapter:Fhir:BaseUrl=http://127.0.0.1:9/", $"--Adapter:Outbox:Path={path}", "--Adapter:Intake:Enabled=true", "--Adapter:Intake:AllowAnonymousOnLoopback=true", $"--Adapter:Intake:Url=http://127.0.0.1:{HostRuns.FreePort()}" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        var text = (await stderr + await stdout).Trim();
        output.WriteLine(text);
        Assert.Equal(2, p.ExitCode);
        Assert.Single(text.Split('\n'));
        Assert.Contains("cannot be read as a SQLite database (SQLite error 26)", text, StringComparison.Ordinal);

        // In-process hosts fail to start the same way (no intake comes up to answer 202).
        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri("http://127.0.0.1:9/"), work), "--Adapter:Dispatcher:Enabled=false"]);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Refusing to start", refused.Message, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task An_item_failing_transiently_is_dead_lettered_after_MaxAttempts_with_its_last_error()
    {
        var (row, calls) = await DeadLetteredBy503Async("max-attempts", "--Adapter:Dispatcher:MaxAttempts=3");
        Assert.Equal(3, row.Attempts);
        Assert.Contains("gave up after 3 attempts", row.LastError, StringComparison.Ordinal);
        Assert.Contains("503", row.LastError, StringComparison.Ordinal);
        Assert.True(calls >= 3, $"server saw {calls} request(s)");
    }

    [Fact]
    public async Task An_item_failing_transiently_is_dead_lettered_after_MaxItemAge_before_MaxAttempts()
    {
        var (row, _) = await DeadLetteredBy503Async("max-age", "--Adapter:Dispatcher:MaxItemAge=00:00:02");
        Assert.InRange(row.Attempts, 2, 49);
        Assert.Contains("Adapter:Dispatcher:MaxItemAge", row.LastError, StringComparison.Ordinal);
        Assert.Contains("503", row.LastError, StringComparison.Ordinal);
    }

    /// <summary>One item into the inbox of an adapter whose server always answers 503 (fast retries); the row once dead-lettered, and how many requests the server saw.</summary>
    private async Task<(OutboxRow Row, int Calls)> DeadLetteredBy503Async(string name, string limit)
    {
        var calls = 0;
        await using var server = await FailClosedTests.StartAsync(ctx =>
        {
            Interlocked.Increment(ref calls);
            ctx.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var work = TestData.TempDir(name);
        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri(server.Root, "fhir/"), work), limit, "--Adapter:Dispatcher:RetryBaseDelay=00:00:00.1", "--Adapter:Dispatcher:RetryMaxDelay=00:00:00.2"]);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await TestData.WriteNdjsonAsync(Path.Combine(work, "inbox"), $"urn:test:{name}", 0, 1, 1);
        var row = await WaitForAsync(Path.Combine(work, "outbox.db"), r => r.Status == OutboxItemStatus.Dead);
        await host.StopAsync(TestContext.Current.CancellationToken);
        output.WriteLine($"{row?.Status} attempts={row?.Attempts} {row?.LastError}; server saw {calls} request(s)");
        Assert.NotNull(row);
        Directory.Delete(work, recursive: true);
        return (row, calls);
    }

    [Fact]
    public async Task Delivered_items_are_purged_after_RetainDelivered_and_pending_ones_are_kept()
    {
        var received = 0;
        await using var server = await FailClosedTests.StartAsync(async ctx =>
        {
            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            var entries = body.RootElement.GetProperty("entry").GetArrayLength();
            Interlocked.Add(ref received, entries);
            ctx.Response.ContentType = "application/fhir+json";
            var responses = string.Join(',', Enumerable.Repeat("{\"response\":{\"status\":\"201 Created\",\"location\":\"Patient/x/_history/1\"}}", entries));
            await ctx.Response.WriteAsync("{\"resourceType\":\"Bundle\",\"type\":\"batch-response\",\"entry\":[" + responses + "]}");
        });
        var work = TestData.TempDir("retention");
        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri(server.Root, "fhir/"), work), "--Adapter:Outbox:RetainDelivered=00:00:00", "--Adapter:Outbox:RetentionInterval=00:00:00.3"]);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await TestData.WriteNdjsonAsync(Path.Combine(work, "inbox"), "urn:test:retention", 0, 3, 3);

        // Delivered, then purged: the rows and their payloads are gone, and nothing was lost on the way (3 reached the server).
        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        var until = DateTime.UtcNow.AddMinutes(1);
        OutboxStats stats;
        do
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            stats = await store.GetStatsAsync(TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < until && (Volatile.Read(ref received) < 3 || stats.Delivered + stats.Pending + stats.Leased > 0));

        await host.StopAsync(TestContext.Current.CancellationToken);
        output.WriteLine($"server received {received} resource(s); outbox pending={stats.Pending} leased={stats.Leased} delivered={stats.Delivered} dead={stats.Dead}");
        Assert.Equal(3, Volatile.Read(ref received));
        Assert.Equal(0, stats.Delivered + stats.Pending + stats.Leased + stats.Dead);
        Assert.Empty(await store.ListAsync(null, 10, TestContext.Current.CancellationToken));
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task A_FIFO_and_a_symlink_in_the_inbox_are_skipped_and_the_next_file_is_still_taken()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("mkfifo and lstat-based detection are Linux-only here.");
        }

        var work = TestData.TempDir("inbox-special");
        var inbox = Path.Combine(work, "inbox");
        Directory.CreateDirectory(inbox);
        var outside = Path.Combine(work, "outside.ndjson");
        await File.WriteAllTextAsync(outside, TestData.PatientJson("urn:test:outside", "secret") + "\n", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(inbox, "link.ndjson"), outside);
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(inbox, "stuck.ndjson")))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri("http://127.0.0.1:9/"), work), "--Adapter:Dispatcher:Enabled=false"]);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await TestData.WriteNdjsonAsync(inbox, "urn:test:inbox", 0, 2, 2);
        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        var until = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < until && (await store.GetStatsAsync(TestContext.Current.CancellationToken)).Pending < 2)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        // Two more scans: the special entries stay skipped (and are not moved), nothing else arrives.
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
        var items = await store.ListAsync(null, 10, TestContext.Current.CancellationToken);
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.StartsWith("patients-", i.Source, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(inbox, "link.ndjson")) || new FileInfo(Path.Combine(inbox, "link.ndjson")).LinkTarget is not null);
        Assert.True(File.Exists(outside));
        Assert.True(File.Exists(Path.Combine(inbox, "stuck.ndjson")));
        Directory.Delete(work, recursive: true);
    }

    private static NewOutboxItem Item(string key) =>
        new(OutboxItemKind.Entry, "POST", "Patient", null, "{\"resourceType\":\"Patient\"}"u8.ToArray(), key, "test", "c1");

    private static async Task<OutboxRow?> WaitForAsync(string outbox, Func<OutboxRow, bool> done)
    {
        await using var store = new SqliteOutboxStore(outbox);
        var until = DateTime.UtcNow.AddMinutes(1);
        OutboxRow? row = null;
        while (DateTime.UtcNow < until && (row is null || !done(row)))
        {
            await Task.Delay(200);
            row = await store.ListAsync(null, 10, CancellationToken.None) is [var first, ..] ? first : null;
        }

        return row;
    }
}
