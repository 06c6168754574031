using System.Net;
using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Rest.Bulk;
using FhirIntrathecal.Fhir.Rest.Safety;
using FhirIntrathecal.Fhir.Rest.Transfer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>
/// Hostile or misconfigured servers, faked in-test by Kestrel: a server that redirects (as a load balancer or a moved
/// endpoint does), one that streams an answer forever, one whose bulk manifest names files outside the folder.
/// </summary>
public sealed class TransportSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fi-transport-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirected_transaction_fails_with_its_Location_and_the_other_origin_receives_nothing(int status)
    {
        await using var other = await FakeServer.StartAsync((ctx, _) => FakeServer.WriteResourceAsync(ctx, new Bundle { Type = "transaction-response" }));
        await using var server = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.Headers.Location = other.FhirBase.AbsoluteUri;
            return Task.CompletedTask;
        });
        using var fhir = server.Client();

        var ex = await Assert.ThrowsAsync<FhirRedirectException>(() => fhir.Client.TransactionAsync(PushInputs.Transaction([new Patient { Id = "p1" }])));

        Assert.Equal(status, (int)ex.Status);
        Assert.Equal(other.FhirBase, ex.Location);
        Assert.Contains(other.FhirBase.AbsoluteUri, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
        Assert.Equal(0, other.Requests);
    }

    [Fact]
    public async Task The_dependency_injection_client_does_not_follow_redirects_either()
    {
        await using var other = await FakeServer.StartAsync((ctx, _) => FakeServer.WriteResourceAsync(ctx, FakeServer.Patient()));
        await using var server = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = new Uri(other.FhirBase, "Patient/1").AbsoluteUri;
            return Task.CompletedTask;
        });
        var services = new ServiceCollection();
        services.AddFhirClient(new FhirEndpoint { Settings = new FhirClientSettings { BaseUri = server.FhirBase }, Resilience = FakeServer.FastResilience });
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<FhirRedirectException>(() => provider.GetRequiredService<FhirClient>().ReadAsync<Patient>("1"));

        Assert.Equal(HttpStatusCode.Found, ex.Status);
        Assert.Equal(0, other.Requests);
    }

    [Fact]
    public void Credentials_over_plain_http_to_another_host_are_refused_unless_explicitly_allowed()
    {
        const string secret = "s3cr3t-token-value";
        static FhirEndpoint Endpoint(string url, bool allow = false) => new()
        {
            Settings = new FhirClientSettings { BaseUri = new Uri(url) },
            Authentication = new BearerTokenAuthentication(secret),
            Transport = new FhirTransportOptions { AllowCredentialsOverHttp = allow },
        };

        var refused = Assert.Throws<InsecureCredentialsException>(() => FhirClientFactory.Create(Endpoint("http://10.20.30.40/fhir/")));
        Assert.Contains("http://10.20.30.40", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.Message, StringComparison.Ordinal);
        Assert.Throws<InsecureCredentialsException>(() => new ServiceCollection().AddFhirClient(Endpoint("http://fhir.hospital.internal/r4/")).Services
            .BuildServiceProvider().GetRequiredService<FhirClient>());

        using (FhirClientFactory.Create(Endpoint("http://10.20.30.40/fhir/", allow: true)))
        using (FhirClientFactory.Create(Endpoint("http://127.0.0.1:8080/fhir/")))
        using (FhirClientFactory.Create(Endpoint("https://fhir.hospital.internal/r4/")))
        {
            // Explicitly allowed, loopback, and TLS are all accepted.
        }

        using var anonymous = FhirClientFactory.Create(FhirEndpoint.For(new Uri("http://10.20.30.40/fhir/")));
    }

    [Fact]
    public async Task A_never_ending_chunked_answer_is_cut_at_the_cap()
    {
        long written = 0;
        var serverStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/fhir+json";
            var chunk = Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[" + new string(' ', 64 * 1024));
            try
            {
                while (!ctx.RequestAborted.IsCancellationRequested)
                {
                    await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
                    Interlocked.Add(ref written, chunk.Length);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client hung up: what the test waits for.
            }
            finally
            {
                serverStopped.TrySetResult();
            }
        });
        const long cap = 1024 * 1024;
        using var fhir = FhirClientFactory.Create(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase },
            Resilience = FakeServer.FastResilience with { AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromSeconds(60) },
            Transport = new FhirTransportOptions { MaxResponseBytes = cap },
        });

        var ex = await Assert.ThrowsAsync<FhirResponseTooLargeException>(() => fhir.Client.SearchAsync("Patient"));

        Assert.Equal(cap, ex.Cap);
        // The client hung up: the server's endless loop ends (its writes after the abort are Kestrel no-ops, so a byte
        // count on the server side would mean nothing; the cap is what the client read).
        await serverStopped.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(Interlocked.Read(ref written) > cap);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_Content_Length_over_the_cap_is_refused_before_the_body_is_read()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/fhir+json";
            ctx.Response.ContentLength = 10_000_000;
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\"}"));
        });
        using var fhir = FhirClientFactory.Create(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase },
            Resilience = FakeServer.FastResilience,
            Transport = new FhirTransportOptions { MaxResponseBytes = 4096 },
        });

        var ex = await Assert.ThrowsAsync<FhirResponseTooLargeException>(() => fhir.Client.ReadAsync<Patient>("1"));
        Assert.Contains("4,096-byte cap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_file_over_the_download_cap_is_cut_and_leaves_no_file_behind()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/fhir+ndjson";
            var line = Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"id\":\"p\"}\n");
            try
            {
                while (!ctx.RequestAborted.IsCancellationRequested)
                {
                    await ctx.Response.Body.WriteAsync(line, ctx.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Cut by the client.
            }
        });
        using var fhir = FhirClientFactory.Create(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase },
            Resilience = FakeServer.FastResilience with { AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromSeconds(60) },
            Transport = new FhirTransportOptions { MaxDownloadBytes = 256 * 1024 },
        });
        var manifest = new BulkExportManifest(null, null, false, [new BulkExportFile("Patient", new Uri(server.Root, "files/p"), null)], []);

        await Assert.ThrowsAsync<FhirResponseTooLargeException>(() => fhir.Bulk.DownloadAsync(manifest, _dir));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("..")]
    [InlineData("/tmp/x")]
    [InlineData("Patient/../../../x")]
    public async Task A_manifest_type_that_could_leave_the_folder_is_a_located_error_and_nothing_is_written_outside(string type)
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            var root = new Uri($"{ctx.Request.Scheme}://{ctx.Request.Host}/");
            if (ctx.Request.Path.Value!.Contains("$export", StringComparison.Ordinal))
            {
                ctx.Response.StatusCode = 202;
                ctx.Response.Headers.ContentLocation = new Uri(root, "status/1").AbsoluteUri;
                return;
            }

            if (ctx.Request.Path.StartsWithSegments("/status", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "application/json";
                var file = new Uri(root, "files/one").AbsoluteUri;
                await ctx.Response.WriteAsync(
                    $$"""{"transactionTime":"2024-05-01T00:00:00Z","request":"x","requiresAccessToken":false,"output":[{"type":"Patient","url":"{{file}}"},{"type":{{System.Text.Json.JsonSerializer.Serialize(type)}},"url":"{{file}}"}]}""");
                return;
            }

            await ctx.Response.WriteAsync("{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
        });
        using var fhir = server.Client();
        var outDir = Path.Combine(_dir, "a", "b", "out");

        var ex = await Assert.ThrowsAsync<FhirFormatException>(() =>
            new ResourcePuller(fhir.Client, fhir.Bulk).PullAsync(new PullOptions { OutDirectory = outDir, Bulk = true, Types = ["Patient"] }));

        Assert.Contains("output[1].type: BULK_MANIFEST_TYPE", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(type, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Log, l => l.Contains("/files/", StringComparison.Ordinal));
        var outside = Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(outDir + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Empty(outside);
        Assert.False(File.Exists("/tmp/x.1.ndjson"));
    }

    [Fact]
    public async Task Two_failed_units_with_the_same_name_park_in_two_files_and_the_first_is_kept()
    {
        await using var server = await FakeServer.StartAsync((ctx, _) =>
            FakeServer.WriteResourceAsync(ctx, FakeServer.Outcome("invalid", "refused"), 400));
        using var fhir = server.Client();
        var park = Path.Combine(_dir, "parked");
        var units = new[]
        {
            new PushUnit("x.ndjson#1", PushInputs.Transaction([new Patient { Id = "first" }])),
            new PushUnit("x.ndjson#1", PushInputs.Transaction([new Patient { Id = "second" }])),
            new PushUnit("../../escape", PushInputs.Transaction([new Patient { Id = "third" }])),
        };

        var result = await new BundlePusher(fhir.Client, new PushOptions { ParkDirectory = park, Parallelism = 1 }).PushAsync(units);

        Assert.Equal(3, result.Parked.Count);
        Assert.Equal(3, result.Parked.Select(p => p.Path).Distinct().Count());
        var ids = result.Parked.Select(p => FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser.Parse<Bundle>(File.ReadAllText(p.Path)).Value!.Entry[0].Resource!.Id).Order(StringComparer.Ordinal);
        Assert.Equal(["first", "second", "third"], ids);
        Assert.All(result.Parked, p => Assert.Equal(Path.GetFullPath(park), Path.GetDirectoryName(p.Path)));
        Assert.Equal(6, Directory.GetFiles(park).Length);
    }
}
