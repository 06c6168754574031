using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Bulk;
using FhirIntrathecal.Fhir.Serialization.Json;
using Microsoft.AspNetCore.Http;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>The $export client against a fake Bulk Data server that runs a real asynchronous job: kick-off, polls, manifest, files, DELETE.</summary>
public sealed class BulkExportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fhir-bulk-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_system_export_is_kicked_off_polled_and_downloaded_in_parallel()
    {
        await using var bulk = await FakeBulkServer.StartAsync(pollsBeforeDone: 2);
        using var fhir = bulk.Server.Client();
        var progress = new ConcurrentQueue<BulkExportProgress>();
        var client = fhir.Bulk.WithOptions(new BulkExportOptions { DefaultPollInterval = TimeSpan.FromMilliseconds(50) });

        var since = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var (manifest, files) = await client.ExportAsync(
            new BulkExportRequest { Types = ["Patient", "Observation"], Since = since },
            _dir,
            new SyncProgress(progress));

        var kickoff = bulk.KickOff!;
        Assert.Equal("/fhir/$export", kickoff.Path);
        Assert.Equal("Patient,Observation", kickoff.Query["_type"]);
        Assert.Equal("2024-01-02T03:04:05.000Z", kickoff.Query["_since"]);
        Assert.Equal("application/fhir+ndjson", kickoff.Query["_outputFormat"]);
        Assert.Equal("respond-async", kickoff.Prefer);

        Assert.Equal(2, progress.Count);
        Assert.Equal(["10%", "60%"], progress.Select(p => p.Progress));
        Assert.Equal(TimeSpan.FromSeconds(1), progress.First().NextPollIn);

        Assert.Equal(3, manifest.Output.Count);
        Assert.Single(manifest.Error);
        Assert.Equal(3, files.Count);
        Assert.Equal([25L, 25L, 40L], files.Select(f => f.Lines));
        Assert.True(File.Exists(Path.Combine(_dir, "Patient.1.ndjson")));
        Assert.True(File.Exists(Path.Combine(_dir, "Patient.2.ndjson")));
        Assert.True(File.Exists(Path.Combine(_dir, "Observation.1.ndjson")));
        Assert.Empty(Directory.GetFiles(_dir, "*.part"));
        Assert.True(bulk.MaxConcurrentDownloads > 1, "downloads ran one at a time");

        var errors = await client.ReadErrorsAsync(manifest);
        Assert.Equal("Observation/bad was not exportable", Assert.Single(errors).Issue[0].Diagnostics?.Value);

        var observations = new List<Resource>();
        await foreach (var r in client.ReadFileAsync(manifest.Output[2]))
        {
            observations.Add(r);
        }

        Assert.Equal(40, observations.OfType<Observation>().Count());
    }

    [Fact]
    public async Task Pull_with_bulk_writes_one_ndjson_per_type_and_a_bundle()
    {
        await using var bulk = await FakeBulkServer.StartAsync(pollsBeforeDone: 0);
        using var fhir = bulk.Server.Client();

        var result = await new Transfer.ResourcePuller(fhir.Client, fhir.Bulk).PullAsync(new Transfer.PullOptions
        {
            OutDirectory = _dir,
            Bulk = true,
            Types = ["Patient", "Observation"],
        });

        Assert.Equal("/fhir/Patient/$export", bulk.KickOff!.Path);
        Assert.Equal(50, result.Counts["Patient"]);
        Assert.Equal(40, result.Counts["Observation"]);
        Assert.Equal(50, File.ReadAllLines(Path.Combine(_dir, "ndjson", "Patient.ndjson")).Length);
        var bundle = FhirJsonParser.Parse<Bundle>(await File.ReadAllTextAsync(result.BundlePath!));
        Assert.Equal(90, bundle.Value!.Entry.Count);
    }

    [Fact]
    public async Task A_rerun_skips_files_already_downloaded()
    {
        await using var bulk = await FakeBulkServer.StartAsync(pollsBeforeDone: 0);
        using var fhir = bulk.Server.Client();

        var first = await fhir.Bulk.ExportAsync(new BulkExportRequest { Level = ExportLevel.Patient }, _dir);
        var downloadsAfterFirst = bulk.Downloads;
        var second = await fhir.Bulk.DownloadAsync(first.Manifest, _dir);

        Assert.Equal("/fhir/Patient/$export", bulk.KickOff!.Path);
        Assert.All(second, f => Assert.True(f.Skipped));
        Assert.Equal(downloadsAfterFirst, bulk.Downloads);
        Assert.Equal(first.Files.Select(f => f.Lines), second.Select(f => f.Lines));
    }

    [Fact]
    public async Task Cancelling_while_waiting_deletes_the_job_on_the_server()
    {
        await using var bulk = await FakeBulkServer.StartAsync(pollsBeforeDone: 1000);
        using var fhir = bulk.Server.Client();
        var client = fhir.Bulk.WithOptions(new BulkExportOptions { DefaultPollInterval = TimeSpan.FromMilliseconds(20) });
        using var cts = new CancellationTokenSource();

        var export = client.ExportAsync(new BulkExportRequest { Level = ExportLevel.Group, GroupId = "cohort-1" }, _dir, ct: cts.Token);
        // Cancel while the client is polling (not during kick-off, when there is no job to delete yet).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (bulk.Polls < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => export);

        Assert.Equal("/fhir/Group/cohort-1/$export", bulk.KickOff!.Path);
        Assert.True(bulk.Polls >= 2);
        Assert.True(bulk.Cancelled);
    }

    [Fact]
    public async Task A_failed_job_surfaces_the_servers_OperationOutcome()
    {
        await using var bulk = await FakeBulkServer.StartAsync(pollsBeforeDone: 0, fail: true);
        using var fhir = bulk.Server.Client(FakeServer.FastResilience with { MaxRetryAttempts = 0 });

        var ex = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.Bulk.ExportAsync(new BulkExportRequest(), _dir));

        Assert.Contains("export ran out of disk", ex.Message);
    }

    private sealed class SyncProgress(ConcurrentQueue<BulkExportProgress> sink) : IProgress<BulkExportProgress>
    {
        public void Report(BulkExportProgress value) => sink.Enqueue(value);
    }

    internal sealed record KickOffRequest(string Path, Dictionary<string, string> Query, string Prefer);

    internal sealed class FakeBulkServer : IAsyncDisposable
    {
        private int _polls;
        private int _downloads;
        private int _inFlight;
        private int _maxInFlight;

        public FakeServer Server { get; private set; } = null!;

        public KickOffRequest? KickOff { get; private set; }

        public bool Cancelled { get; private set; }

        public int Downloads => Volatile.Read(ref _downloads);

        public int Polls => Volatile.Read(ref _polls);

        public int MaxConcurrentDownloads => Volatile.Read(ref _maxInFlight);

        public static async Task<FakeBulkServer> StartAsync(int pollsBeforeDone, bool fail = false)
        {
            var fake = new FakeBulkServer();
            fake.Server = await FakeServer.StartAsync(async (ctx, _) =>
            {
                var path = ctx.Request.Path.Value!;
                if (path.EndsWith("/$export", StringComparison.Ordinal))
                {
                    fake.KickOff = new KickOffRequest(path, ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), ctx.Request.Headers["Prefer"].ToString());
                    ctx.Response.StatusCode = 202;
                    ctx.Response.Headers.ContentLocation = new Uri(fake.Server.Root, "bulkstatus/job-1").AbsoluteUri;
                    return;
                }

                if (path == "/bulkstatus/job-1")
                {
                    await fake.StatusAsync(ctx, pollsBeforeDone, fail);
                    return;
                }

                if (path.StartsWith("/files/", StringComparison.Ordinal))
                {
                    await fake.FileAsync(ctx, path["/files/".Length..]);
                    return;
                }

                ctx.Response.StatusCode = 404;
            });
            return fake;
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();

        private async Task StatusAsync(HttpContext ctx, int pollsBeforeDone, bool fail)
        {
            if (ctx.Request.Method == "DELETE")
            {
                Cancelled = true;
                ctx.Response.StatusCode = 202;
                return;
            }

            var poll = Interlocked.Increment(ref _polls);
            if (poll <= pollsBeforeDone)
            {
                ctx.Response.StatusCode = 202;
                ctx.Response.Headers["X-Progress"] = poll == 1 ? "10%" : "60%";
                if (poll == 1)
                {
                    ctx.Response.Headers.RetryAfter = "1";
                }

                return;
            }

            if (fail)
            {
                await FakeServer.WriteResourceAsync(ctx, FakeServer.Outcome("exception", "export ran out of disk"), 500);
                return;
            }

            var root = Server.Root;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                transactionTime = "2024-05-01T00:00:00Z",
                request = new Uri(Server.FhirBase, "$export").AbsoluteUri,
                requiresAccessToken = true,
                output = new object[]
                {
                    new { type = "Patient", url = new Uri(root, "files/Patient-a").AbsoluteUri, count = 25 },
                    new { type = "Patient", url = new Uri(root, "files/Patient-b").AbsoluteUri, count = 25 },
                    new { type = "Observation", url = new Uri(root, "files/Observation-a").AbsoluteUri, count = 40 },
                },
                error = new object[] { new { type = "OperationOutcome", url = new Uri(root, "files/errors").AbsoluteUri } },
            }));
        }

        private async Task FileAsync(HttpContext ctx, string name)
        {
            Interlocked.Increment(ref _downloads);
            var now = Interlocked.Increment(ref _inFlight);
            int peak;
            while ((peak = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, peak) != peak)
            {
            }

            try
            {
                ctx.Response.ContentType = "application/fhir+ndjson";
                // Streamed in chunks with pauses, so parallel downloads overlap and the client must not buffer.
                IEnumerable<Resource> lines = name switch
                {
                    "errors" => [FakeServer.Outcome("not-found", "Observation/bad was not exportable")],
                    "Observation-a" => Enumerable.Range(0, 40).Select(i => (Resource)new Observation { Id = $"o{i}", Status = "final", Code = new CodeableConcept { Text = "dose" } }),
                    _ => Enumerable.Range(0, 25).Select(i => (Resource)new Patient { Id = $"{name}-{i}" }),
                };
                var n = 0;
                foreach (var resource in lines)
                {
                    await ctx.Response.Body.WriteAsync(FhirJsonSerializer.SerializeToUtf8Bytes(resource));
                    await ctx.Response.Body.WriteAsync("\n"u8.ToArray());
                    if (++n % 10 == 0)
                    {
                        await ctx.Response.Body.FlushAsync();
                        await Task.Delay(30);
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
