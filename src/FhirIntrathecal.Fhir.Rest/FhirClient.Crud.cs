using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest;

public sealed partial class FhirClient
{
    /// <summary>GET metadata.</summary>
    public async Task<CapabilityStatement> CapabilitiesAsync(CancellationToken ct = default)
    {
        var response = await ExecuteAsync<CapabilityStatement>(NewRequest(HttpMethod.Get, "metadata"), ct).ConfigureAwait(false);
        return response.Resource ?? throw new FhirFormatException("GET metadata returned no CapabilityStatement.");
    }

    public Task<T> ReadAsync<T>(string id, CancellationToken ct = default)
        where T : Resource => ReadAsync<T>(TypeName<T>(), id, ct);

    public async Task<T> ReadAsync<T>(string type, string id, CancellationToken ct = default)
        where T : Resource
    {
        var response = await ReadResponseAsync<T>($"{type}/{Uri.EscapeDataString(id)}", ct).ConfigureAwait(false);
        return response.Resource ?? throw new FhirFormatException($"GET {type}/{id} returned no body.");
    }

    /// <summary>A read with its headers (ETag for a later If-Match).</summary>
    public Task<FhirResponse<T>> ReadResponseAsync<T>(string relativeOrAbsoluteUrl, CancellationToken ct = default)
        where T : Resource => ExecuteAsync<T>(NewRequest(HttpMethod.Get, relativeOrAbsoluteUrl), ct);

    public async Task<T> VReadAsync<T>(string id, string versionId, CancellationToken ct = default)
        where T : Resource
    {
        var url = $"{TypeName<T>()}/{Uri.EscapeDataString(id)}/_history/{Uri.EscapeDataString(versionId)}";
        var response = await ExecuteAsync<T>(NewRequest(HttpMethod.Get, url), ct).ConfigureAwait(false);
        return response.Resource ?? throw new FhirFormatException($"GET {url} returned no body.");
    }

    /// <summary>
    /// POST [type]. With <paramref name="ifNoneExist"/> a conditional create: 201 when created, 200 when one match
    /// exists; since it cannot duplicate, it is marked safe to retry.
    /// </summary>
    public Task<FhirResponse<T>> CreateAsync<T>(T resource, SearchParameters? ifNoneExist = null, CancellationToken ct = default)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        var request = NewRequest(HttpMethod.Post, resource.TypeInfo.Name);
        request.Content = FhirMediaType.Content(resource, Settings.Format);
        AddPrefer(request);
        if (ifNoneExist is { Parameters.Count: > 0 })
        {
            request.Headers.TryAddWithoutValidation("If-None-Exist", ifNoneExist.ToConditionString());
            request.Options.Set(FhirRequestOptions.SafeToRetry, true);
        }
        else
        {
            request.Options.Set(FhirRequestOptions.SafeToRetry, false);
        }

        return ExecuteAsync<T>(request, ct);
    }

    /// <summary>PUT [type]/[id]; <paramref name="ifMatch"/> (version id or ETag) makes a stale write a <see cref="FhirPreconditionFailedException"/>.</summary>
    public Task<FhirResponse<T>> UpdateAsync<T>(T resource, string? ifMatch = null, CancellationToken ct = default)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException("An update needs the resource's id.", nameof(resource));
        }

        var request = NewRequest(HttpMethod.Put, $"{resource.TypeInfo.Name}/{Uri.EscapeDataString(resource.Id)}");
        request.Content = FhirMediaType.Content(resource, Settings.Format);
        AddPrefer(request);
        AddIfMatch(request, ifMatch);
        return ExecuteAsync<T>(request, ct);
    }

    /// <summary>PUT [type]?[search]: updates the single match, creates when there is none, 412 when several match.</summary>
    public Task<FhirResponse<T>> ConditionalUpdateAsync<T>(T resource, SearchParameters condition, CancellationToken ct = default)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(condition);
        var request = NewRequest(HttpMethod.Put, $"{resource.TypeInfo.Name}?{condition.ToQueryString()}");
        request.Content = FhirMediaType.Content(resource, Settings.Format);
        AddPrefer(request);
        return ExecuteAsync<T>(request, ct);
    }

    /// <summary>DELETE [type]/[id]. Returns the status (200/204; 404/410 are not errors here: the resource is gone either way).</summary>
    public async Task<HttpStatusCode> DeleteAsync(string type, string id, string? ifMatch = null, CancellationToken ct = default)
    {
        var request = NewRequest(HttpMethod.Delete, $"{type}/{Uri.EscapeDataString(id)}");
        AddIfMatch(request, ifMatch);
        try
        {
            var response = await ExecuteAsync<Resource>(request, ct).ConfigureAwait(false);
            return response.Status;
        }
        catch (FhirOperationException ex) when (ex is FhirNotFoundException or FhirGoneException)
        {
            // A retried DELETE whose first attempt got through answers 404/410; deletion is what was asked for.
            return ex.Status;
        }
    }

    public async Task<HttpStatusCode> ConditionalDeleteAsync(string type, SearchParameters condition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var response = await ExecuteAsync<Resource>(NewRequest(HttpMethod.Delete, $"{type}?{condition.ToQueryString()}"), ct).ConfigureAwait(false);
        return response.Status;
    }

    /// <summary>PATCH [type]/[id] with a JSON Patch document. Not retried: "add" to an array is not idempotent.</summary>
    public Task<FhirResponse<T>> PatchAsync<T>(string id, IEnumerable<JsonPatchOperation> operations, string? ifMatch = null, CancellationToken ct = default)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(operations);
        var request = NewRequest(HttpMethod.Patch, $"{TypeName<T>()}/{Uri.EscapeDataString(id)}");
        request.Content = new StringContent(JsonPatchOperation.ToDocument(operations).ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(FhirMediaType.JsonPatch);
        request.Options.Set(FhirRequestOptions.SafeToRetry, false);
        AddPrefer(request);
        AddIfMatch(request, ifMatch);
        return ExecuteAsync<T>(request, ct);
    }

    private static void AddIfMatch(HttpRequestMessage request, string? ifMatch)
    {
        if (!string.IsNullOrEmpty(ifMatch))
        {
            request.Headers.TryAddWithoutValidation("If-Match", ToETag(ifMatch));
        }
    }

    internal static string FormatInstant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
