using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace FhirIntrathecal.Fhir.Rest.Auth;

/// <summary>
/// Base of the auth handlers: credentials go only to the configured server (same scheme, host and port), so a
/// paging link or bulk file URL on another host never receives them.
/// </summary>
public abstract class FhirAuthHandler : DelegatingHandler
{
    private readonly Uri _server;

    protected FhirAuthHandler(Uri server) => _server = server ?? throw new ArgumentNullException(nameof(server));

    protected bool IsForServer(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri &&
        Uri.Compare(uri, _server, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

public sealed class BearerTokenHandler(Uri server, string token) : FhirAuthHandler(server)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsForServer(request))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

public sealed class BasicAuthHandler(Uri server, string userName, string password) : FhirAuthHandler(server)
{
    private readonly string _encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}"));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsForServer(request))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _encoded);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Attaches the SMART access token; on 401 drops it, gets a new one and sends the request once more
/// (a token revoked or expired early). A second 401 is the answer.
/// </summary>
public sealed class SmartBackendServicesHandler(Uri server, SmartTokenProvider tokens) : FhirAuthHandler(server)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsForServer(request))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
