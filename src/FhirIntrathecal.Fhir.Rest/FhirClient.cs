using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// A FHIR R4 REST client over an injected <see cref="HttpClient"/>. It holds no mutable state: settings are an
/// immutable record and every call is independent, so one instance may be shared by any number of callers.
/// Retries, timeouts, the circuit breaker and auth are <see cref="DelegatingHandler"/>s in the HttpClient's
/// chain (see <see cref="FhirClientFactory"/> and <c>AddFhirClient</c>); this class only speaks FHIR.
/// </summary>
public sealed partial class FhirClient
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public FhirClient(HttpClient http, FhirClientSettings settings, ILogger<FhirClient>? logger = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _logger = logger ?? NullLogger<FhirClient>.Instance;
    }

    public FhirClientSettings Settings { get; }

    /// <summary>The FHIR type name of a CLR model type (Patient → "Patient").</summary>
    public static string TypeName<T>()
        where T : Resource =>
        ModelInfo.GetTypeInfo(typeof(T)) is { IsAbstract: false } info
            ? info.Name
            : throw new ArgumentException($"{typeof(T).Name} is not a concrete resource type; use the overload that takes a type name.");

    /// <summary>A version id (<c>3</c>) or an ETag (<c>W/"3"</c>) as the weak ETag If-Match wants.</summary>
    public static string ToETag(string versionOrETag)
    {
        ArgumentException.ThrowIfNullOrEmpty(versionOrETag);
        return versionOrETag.StartsWith("W/", StringComparison.Ordinal) || versionOrETag.StartsWith('"')
            ? versionOrETag
            : $"W/\"{versionOrETag}\"";
    }

    internal HttpRequestMessage NewRequest(HttpMethod method, string relativeOrAbsolute)
    {
        var uri = new Uri(relativeOrAbsolute, UriKind.RelativeOrAbsolute);
        var request = new HttpRequestMessage(method, uri.IsAbsoluteUri ? uri : new Uri(Settings.BaseUri, uri));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirMediaType.Of(Settings.Format)));
        return request;
    }

    internal void AddPrefer(HttpRequestMessage request)
    {
        var value = Settings.PreferReturn switch
        {
            PreferReturn.Representation => "return=representation",
            PreferReturn.Minimal => "return=minimal",
            PreferReturn.OperationOutcome => "return=OperationOutcome",
            _ => null,
        };
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", value);
        }
    }

    /// <summary>Sends, throws the typed exception for an error status, and parses the body as <typeparamref name="T"/>.</summary>
    internal async Task<FhirResponse<T>> ExecuteAsync<T>(HttpRequestMessage request, CancellationToken ct)
        where T : Resource
    {
        using (request)
        {
            using var response = await SendAsync(request, ct).ConfigureAwait(false);
            var resource = await ReadBodyAsync(response, ct).ConfigureAwait(false);
            if (resource is not null and not T)
            {
                throw new FhirFormatException(
                    $"{request.Method} {request.RequestUri} returned a {resource.TypeInfo.Name} where a {typeof(T).Name} was expected.", response.StatusCode, []);
            }

            return new FhirResponse<T>(
                response.StatusCode,
                (T?)resource,
                response.Headers.ETag?.ToString(),
                response.Headers.Location is { } loc ? (loc.IsAbsoluteUri ? loc : new Uri(Settings.BaseUri, loc)) : null,
                response.Content.Headers.LastModified);
        }
    }

    /// <summary>Sends and turns an error status into a typed exception with the server's OperationOutcome.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        LogExchange(_logger, request.Method, request.RequestUri, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            OperationOutcome? outcome = null;
            try
            {
                outcome = await ReadBodyAsync(response, ct).ConfigureAwait(false) as OperationOutcome;
            }
            catch (FhirFormatException)
            {
                // The error status is what matters; a garbled error body must not hide it.
            }

            var location = response.Headers.Location is { } l && request.RequestUri is { } from ? new Uri(from, l) : response.Headers.Location;
            throw FhirOperationException.Create(response.StatusCode, outcome, request.Method, request.RequestUri, location);
        }
    }

    /// <summary>The body as a resource, or null when there is none (204, return=minimal).</summary>
    internal async Task<Resource?> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var content = response.Content;
        if (response.StatusCode == HttpStatusCode.NoContent || content.Headers.ContentLength == 0)
        {
            return null;
        }

        var result = await FhirMediaType.ParseAsync(content, Settings.ParserOptions, ct).ConfigureAwait(false);
        // A syntax error means the body was cut or garbled: what was read may miss anything, so it is not used.
        if (result.Value is null || result.Issues.Any(i => i.Severity == IssueSeverity.Fatal || i.Code == ParseCodes.Syntax))
        {
            // An empty body without Content-Length reads as a syntax error on an empty document.
            if (result.Value is null && result.Issues.Count > 0 && content.Headers.ContentType is null)
            {
                return null;
            }

            throw new FhirFormatException(
                $"The server's {(int)response.StatusCode} answer is not a FHIR resource: {string.Join("; ", result.Issues.Take(3))}",
                response.StatusCode,
                result.Issues);
        }

        return result.Value;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Uri} -> {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogExchange(ILogger logger, HttpMethod method, Uri? uri, int status, double elapsedMs);
}
