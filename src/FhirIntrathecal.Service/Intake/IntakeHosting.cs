using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using FhirIntrathecal.Service.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace FhirIntrathecal.Service.Intake;

/// <summary>
/// The intake's listener and request pipeline, in this order: bad requests (body over the cap → 413) answered with an
/// OperationOutcome; Host header against the allow-list; no browser origins; only FHIR/registry JSON media types
/// (415); authentication; per-client rate and global concurrency limits (429); per-endpoint scopes (401/403).
/// </summary>
public static class IntakeHosting
{
    private static readonly PathString RegistryPath = new("/intake/registry");

    private static readonly string[] MediaTypes =
        ["application/fhir+json", "application/json", "application/fhir+ndjson", "application/x-ndjson", "application/ndjson"];

    /// <summary>Kestrel on the configured address, with TLS (and client certificates) when the Url is https.</summary>
    public static void ConfigureServer(WebApplicationBuilder builder, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var url = options.Url;
        var certificate = url.Scheme == Uri.UriSchemeHttps ? LoadCertificate(options) : null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate, https =>
                    {
                        https.ClientCertificateMode = !options.ClientCertificates.Configured ? ClientCertificateMode.NoCertificate
                            : options.Jwt.Configured ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.RequireCertificate;
                        // Chain trust is not the check: the certificate's thumbprint must be on the allow-list.
                        https.AllowAnyClientCertificate();
                    });
                }
            }

            if (IPAddress.TryParse(url.Host, out var address))
            {
                k.Listen(address, url.Port, Listen);
            }
            else
            {
                k.ListenLocalhost(url.Port, Listen);
            }
        });

        var hosts = options.AllowedHosts.Count > 0 ? options.AllowedHosts
            : url.IsLoopback ? [url.Host, "localhost", "127.0.0.1", "[::1]"] : [url.Host];
        builder.Services.Configure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = [.. hosts];
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(
                    IntakeAuthentication.ClientOf(http.User) + "|" + http.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })),
                PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter(
                    "all",
                    _ => new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrentRequests, QueueLimit = options.MaxConcurrentRequests * 2, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })));
        });
    }

    /// <summary>The middleware, before the endpoints are mapped.</summary>
    public static void UsePipeline(WebApplication app, bool authenticated)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
            {
                var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? IntakeErrors.TooLarge : IntakeErrors.BadRequest;
                await IntakeErrors.Result(code, ex.StatusCode).ExecuteAsync(http).ConfigureAwait(false);
            }
        });
        app.UseHostFiltering();
        app.Use(async (http, next) =>
        {
            // No web page may drive the adapter: the intake is for systems, and browsers always send Origin on a cross-site POST.
            if (http.Request.Headers.ContainsKey(HeaderNames.Origin))
            {
                await IntakeErrors.Result(IntakeErrors.Origin, StatusCodes.Status403Forbidden).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsPost(http.Request.Method) && !IsAllowedMediaType(http.Request.ContentType, http.Request.Path))
            {
                await IntakeErrors.Result(IntakeErrors.MediaType, StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            await next(http).ConfigureAwait(false);
        });
        if (authenticated)
        {
            app.UseAuthentication();
        }

        app.UseRateLimiter();
        if (authenticated)
        {
            app.UseAuthorization();
        }
    }

    /// <summary>
    /// FHIR/registry JSON and NDJSON everywhere; <c>multipart/form-data</c> (the registry's CSV files) only on
    /// <c>/intake/registry</c>. Browsers cannot use it to drive the adapter: they send <c>Origin</c>, refused before this.
    /// </summary>
    public static bool IsAllowedMediaType(string? contentType, PathString path) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (MediaTypes.Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase)
            || (path.StartsWithSegments(RegistryPath, StringComparison.OrdinalIgnoreCase)
                && string.Equals(parsed.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)));

    private static X509Certificate2 LoadCertificate(IntakeOptions options)
    {
        var path = options.CertificatePath ?? throw new InvalidOperationException("Adapter:Intake:CertificatePath is required for https.");
        return string.IsNullOrWhiteSpace(options.CertificateKeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : X509Certificate2.CreateFromPemFile(path, options.CertificateKeyPath);
    }
}
