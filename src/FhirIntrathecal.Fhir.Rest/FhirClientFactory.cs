using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Rest.Bulk;
using FhirIntrathecal.Fhir.Rest.Resilience;
using FhirIntrathecal.Fhir.Rest.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// Builds the handler chain (resilience, then auth, then the transport) without dependency injection, for the CLI,
/// tests and scripts. Services use <c>AddFhirClient</c> instead, which composes the same handlers.
/// </summary>
public static class FhirClientFactory
{
    /// <summary>A client that owns its HttpClient and the shared resilience/auth state; dispose it when done.</summary>
    public static OwnedFhirClient Create(FhirEndpoint endpoint, ILoggerFactory? loggerFactory = null, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        loggerFactory ??= NullLoggerFactory.Instance;
        var disposables = new List<IDisposable>();
        transport = transport is null ? FhirTransport.CreatePrimaryHandler() : FhirTransport.WithoutRedirects(transport);
        if (endpoint.Authentication is not null)
        {
            // Before anything is built: a refused configuration must not leave handlers behind.
            FhirTransport.EnsureCredentialsAllowed(endpoint.Settings.BaseUri, endpoint.Transport);
        }

        // The token endpoint gets its own plain client: its failures must not trip the FHIR circuit breaker.
        SmartTokenProvider? tokens = null;
        if (endpoint.Authentication is SmartBackendServicesAuthentication smart)
        {
            var tokenHttp = new HttpClient(transport, disposeHandler: false);
            disposables.Add(tokenHttp);
            tokens = new SmartTokenProvider(tokenHttp, endpoint.Settings.BaseUri, smart.Options, loggerFactory.CreateLogger<SmartTokenProvider>());
            disposables.Add(tokens);
        }

        var pipeline = new FhirResiliencePipeline(endpoint.Resilience, loggerFactory.CreateLogger<FhirResiliencePipeline>());
        disposables.Add(pipeline);
        var auth = CreateAuthHandler(endpoint, tokens);
        HttpMessageHandler chain = new ResponseLimitHandler(endpoint.Transport) { InnerHandler = transport };
        if (auth is not null)
        {
            auth.InnerHandler = chain;
            chain = auth;
        }

        chain = new FhirResilienceHandler(pipeline) { InnerHandler = chain };
        var http = new HttpClient(chain, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new FhirClient(http, endpoint.Settings, loggerFactory.CreateLogger<FhirClient>());
        var bulk = new BulkExportClient(client, loggerFactory.CreateLogger<BulkExportClient>());
        return new OwnedFhirClient(http, client, bulk, disposables);
    }

    /// <summary>
    /// The auth handler for an endpoint, or null when anonymous. SMART needs its token provider. Throws
    /// <see cref="InsecureCredentialsException"/> for credentials bound for a plain-http host other than loopback.
    /// </summary>
    public static FhirAuthHandler? CreateAuthHandler(FhirEndpoint endpoint, SmartTokenProvider? tokens)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var server = endpoint.Settings.BaseUri;
        if (endpoint.Authentication is not null)
        {
            FhirTransport.EnsureCredentialsAllowed(server, endpoint.Transport);
        }

        return endpoint.Authentication switch
        {
            null => null,
            BearerTokenAuthentication b => new BearerTokenHandler(server, b.Token),
            BasicAuthentication b => new BasicAuthHandler(server, b.UserName, b.Password),
            SmartBackendServicesAuthentication => new SmartBackendServicesHandler(server, tokens ?? throw new ArgumentNullException(nameof(tokens))),
            var other => throw new NotSupportedException($"Unknown authentication {other.GetType().Name}."),
        };
    }
}

/// <summary>A <see cref="FhirClient"/> with the resources it owns (HttpClient, breaker state, token cache).</summary>
public sealed class OwnedFhirClient : IDisposable
{
    private readonly IReadOnlyList<IDisposable> _owned;

    internal OwnedFhirClient(HttpClient http, FhirClient client, BulkExportClient bulk, IReadOnlyList<IDisposable> owned)
    {
        Http = http;
        Client = client;
        Bulk = bulk;
        _owned = owned;
    }

    public HttpClient Http { get; }

    public FhirClient Client { get; }

    public BulkExportClient Bulk { get; }

    public void Dispose()
    {
        Http.Dispose();
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }
}
