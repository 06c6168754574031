namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// What the transport refuses, whatever the server does: redirects are never followed (a 3xx is a
/// <see cref="FhirRedirectException"/> carrying its Location), credentials never go over plain http to another host,
/// and no answer is read past its cap.
/// </summary>
public sealed record FhirTransportOptions
{
    public static FhirTransportOptions Default { get; } = new();

    /// <summary>Cap on one buffered answer (resources, Bundles, pages, OperationOutcomes).</summary>
    public long MaxResponseBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Cap on one streamed answer (a bulk output file streamed to disk).</summary>
    public long MaxDownloadBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// Send a bearer token or Basic credentials over plain http:// to a host other than loopback. Off: the client
    /// refuses to start, since anyone on the path could read and replay them.
    /// </summary>
    public bool AllowCredentialsOverHttp { get; init; }
}
