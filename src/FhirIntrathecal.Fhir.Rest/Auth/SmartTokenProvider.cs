using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Fhir.Rest.Auth;

/// <summary>The token endpoint refused us, or answered something that is not a token.</summary>
public sealed class SmartAuthException : Exception
{
    public SmartAuthException()
    {
    }

    public SmartAuthException(string message)
        : base(message)
    {
    }

    public SmartAuthException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Gets SMART Backend Services access tokens and caches one until shortly before it expires. Renewal is
/// single-flight: concurrent callers wait for the one refresh in progress instead of each hitting the token endpoint.
/// Logs endpoints and client id, never the assertion or the token.
/// </summary>
public sealed partial class SmartTokenProvider : IDisposable
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly HttpClient _http;
    private readonly Uri _fhirBase;
    private readonly SmartBackendServicesOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly JsonWebTokenHandler _jwt = new();
    private volatile CachedToken? _current;
    private Uri? _tokenEndpoint;
    private int _tokenRequests;

    public SmartTokenProvider(HttpClient tokenHttp, Uri fhirBase, SmartBackendServicesOptions options, ILogger<SmartTokenProvider>? logger = null, TimeProvider? time = null)
    {
        _http = tokenHttp ?? throw new ArgumentNullException(nameof(tokenHttp));
        _fhirBase = FhirClientSettings.WithTrailingSlash(fhirBase ?? throw new ArgumentNullException(nameof(fhirBase)));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger<SmartTokenProvider>.Instance;
        _time = time ?? TimeProvider.System;
        _tokenEndpoint = options.TokenEndpoint;
    }

    /// <summary>How many token requests were made (diagnostics; tests assert single-flight with it).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public async ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        if (_current is { } fresh && fresh.UsableAt(_time.GetUtcNow(), _options.RenewBefore))
        {
            return fresh.AccessToken;
        }

        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Someone else may have refreshed while we waited.
            if (_current is { } renewed && renewed.UsableAt(_time.GetUtcNow(), _options.RenewBefore))
            {
                return renewed.AccessToken;
            }

            var token = await RequestTokenAsync(ct).ConfigureAwait(false);
            _current = token;
            return token.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Drops the cached token if it is still <paramref name="rejected"/> (the server said 401 to it).</summary>
    public void Invalidate(string rejected)
    {
        var current = _current;
        if (current is not null && current.AccessToken == rejected)
        {
            Interlocked.CompareExchange(ref _current, null, current);
            LogInvalidated(_logger, _options.ClientId);
        }
    }

    public void Dispose() => _refresh.Dispose();

    private async Task<CachedToken> RequestTokenAsync(CancellationToken ct)
    {
        var endpoint = _tokenEndpoint ??= await DiscoverAsync(ct).ConfigureAwait(false);
        Interlocked.Increment(ref _tokenRequests);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = _options.Scope,
            ["client_assertion_type"] = AssertionType,
            ["client_assertion"] = CreateAssertion(endpoint),
        });
        using var response = await _http.PostAsync(endpoint, form, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // OAuth error bodies carry error/error_description, never our secrets; anything else is cut short.
            throw new SmartAuthException($"Token endpoint {endpoint} answered {(int)response.StatusCode}: {OAuthError(body)}");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var accessToken = root.GetProperty("access_token").GetString() ?? throw new SmartAuthException("access_token is null.");
            var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
            LogToken(_logger, _options.ClientId, endpoint, expiresIn);
            return new CachedToken(accessToken, _time.GetUtcNow().AddSeconds(expiresIn));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SmartAuthException($"Token endpoint {endpoint} answered without a usable access_token.", ex);
        }
    }

    private async Task<Uri> DiscoverAsync(CancellationToken ct)
    {
        var url = new Uri(_fhirBase, ".well-known/smart-configuration");
        using var response = await _http.GetAsync(url, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SmartAuthException($"SMART discovery at {url} answered {(int)response.StatusCode}.");
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        if (!json.RootElement.TryGetProperty("token_endpoint", out var te) || te.GetString() is not { Length: > 0 } endpoint)
        {
            throw new SmartAuthException($"SMART configuration at {url} has no token_endpoint.");
        }

        LogDiscovered(_logger, endpoint);
        return new Uri(url, endpoint);
    }

    /// <summary>The signed client assertion: iss = sub = client id, aud = token endpoint, a fresh jti, exp within five minutes.</summary>
    internal string CreateAssertion(Uri tokenEndpoint)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _jwt.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.ClientId,
            Audience = tokenEndpoint.AbsoluteUri,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.AssertionLifetime,
            Subject = new ClaimsIdentity([new Claim("sub", _options.ClientId), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            SigningCredentials = new SigningCredentials(_options.SigningKey, _options.Algorithm),
        });
    }

    private static string OAuthError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
            var description = root.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            return $"{error} {description}".Trim();
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMART token endpoint discovered: {Endpoint}")]
    private static partial void LogDiscovered(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access token obtained for client {ClientId} from {Endpoint}, expires in {Seconds} s")]
    private static partial void LogToken(ILogger logger, string clientId, Uri endpoint, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access token of client {ClientId} rejected by the server; renewing")]
    private static partial void LogInvalidated(ILogger logger, string clientId);

    private sealed record CachedToken(string AccessToken, DateTimeOffset ExpiresAt)
    {
        public bool UsableAt(DateTimeOffset now, TimeSpan renewBefore) => now < ExpiresAt - renewBefore;

        public override string ToString() => $"CachedToken {{ ExpiresAt = {ExpiresAt:O} }}";
    }
}
