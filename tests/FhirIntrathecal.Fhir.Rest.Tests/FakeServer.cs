using System.Collections.Concurrent;
using System.Net;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Resilience;
using FhirIntrathecal.Fhir.Serialization.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>An in-process Kestrel server on 127.0.0.1:0 whose every request goes to one test-supplied delegate.</summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Root { get; }

    /// <summary>The FHIR base the tests use: Root + fhir/.</summary>
    public Uri FhirBase => new(Root, "fhir/");

    public int Requests => Volatile.Read(ref _requests);

    public ConcurrentQueue<string> Log { get; } = new();

    public static async Task<FakeServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        // The model metadata loads on first use; keep that cost out of the attempt timeouts under test.
        _ = FhirJsonParser.Parse(FhirJsonSerializer.SerializeToUtf8Bytes(Outcome("informational", "warm-up")));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeServer? server = null;
        app.Run(async ctx =>
        {
            var n = Interlocked.Increment(ref server!._requests);
            server.Log.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
            await handler(ctx, n);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static Task WriteResourceAsync(HttpContext ctx, Resource resource, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/fhir+json";
        return ctx.Response.Body.WriteAsync(FhirJsonSerializer.SerializeToUtf8Bytes(resource)).AsTask();
    }

    public static OperationOutcome Outcome(string code, string diagnostics) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = "error", Code = code, Diagnostics = diagnostics }],
    };

    public static Patient Patient(string id = "1", string version = "1") => new()
    {
        Id = id,
        Meta = new Meta { VersionId = version },
        Active = true,
    };

    /// <summary>Fast resilience settings so fault tests take milliseconds, not the production seconds.</summary>
    /// <summary>The attempt timeout the hang tests use.</summary>
    public static readonly TimeSpan ShortAttempt = TimeSpan.FromMilliseconds(500);

    public static FhirResilienceOptions FastResilience { get; } = new()
    {
        MaxRetryAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(3),
        TotalTimeout = TimeSpan.FromSeconds(10),
        CircuitBreakerEnabled = false,
    };

    public OwnedFhirClient Client(FhirResilienceOptions? resilience = null, ILoggerFactory? logging = null) =>
        FhirClientFactory.Create(new FhirEndpoint { Settings = new FhirClientSettings { BaseUri = FhirBase }, Resilience = resilience ?? FastResilience }, logging);
}
