namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// Per-request flags the client sets for the handler chain. The client knows the FHIR semantics (is this POST a
/// conditional create?); the handlers only read these keys, so they stay protocol-agnostic.
/// </summary>
public static class FhirRequestOptions
{
    /// <summary>Repeating the request cannot create duplicates or lose updates; the retry handler only retries these (and GET/HEAD/PUT/DELETE).</summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRetry = new("FhirIntrathecal.SafeToRetry");

    /// <summary>Leave the body unread so the caller can stream it (bulk downloads); otherwise each attempt buffers it inside its timeout.</summary>
    public static readonly HttpRequestOptionsKey<bool> StreamResponse = new("FhirIntrathecal.StreamResponse");

    internal static bool IsSafeToRetry(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(SafeToRetry, out var flagged))
        {
            return flagged;
        }

        var method = request.Method;
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Options;
    }

    internal static bool IsStreaming(HttpRequestMessage request) =>
        request.Options.TryGetValue(StreamResponse, out var stream) && stream;
}
