using FhirIntrathecal.Fhir.Rest.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Service.Intake;

/// <summary>
/// The signing keys an issuer publishes at a JWKS URL: read at start (the intake does not start without them) and
/// again every refresh interval. Redirects are not followed and the document is capped at 1 MB.
/// </summary>
public sealed partial class JwksKeySource(Uri url, TimeSpan refresh, ILogger logger) : IAsyncDisposable
{
    private const long MaxDocumentBytes = 1024 * 1024;
    private readonly HttpClient _http = new(FhirTransport.CreatePrimaryHandler()) { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = MaxDocumentBytes };
    private readonly CancellationTokenSource _stop = new();
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private Task? _loop;

    public IReadOnlyList<SecurityKey> Keys => _keys;

    public async Task StartAsync(CancellationToken ct)
    {
        await RefreshAsync(ct).ConfigureAwait(false);
        _loop = RefreshLoopAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        var json = await _http.GetStringAsync(url, ct).ConfigureAwait(false);
        var keys = new JsonWebKeySet(json).GetSigningKeys();
        _keys = [.. keys];
        LogKeys(logger, keys.Count, url);
    }

    private async Task RefreshLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(refresh);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or IOException && !ct.IsCancellationRequested)
            {
                // Keep the keys we have; the next tick tries again.
                LogRefreshFailed(logger, url, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} signing key(s) read from {Url}")]
    private static partial void LogKeys(ILogger logger, int count, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the signing keys from {Url} ({Error}); keeping the previous ones")]
    private static partial void LogRefreshFailed(ILogger logger, Uri url, string error);
}

/// <summary>Signing keys from configuration: PEM public keys (RSA or EC), inline or in a file.</summary>
internal static class SigningKeys
{
    public static SecurityKey Load(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var pem = value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? value : File.ReadAllText(value);
        var rsa = System.Security.Cryptography.RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = System.Security.Cryptography.ECDsa.Create();
        ec.ImportFromPem(pem);
        return new ECDsaSecurityKey(ec);
    }
}
