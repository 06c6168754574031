using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>What the server should send back after a write (the <c>Prefer: return=</c> header).</summary>
public enum PreferReturn
{
    /// <summary>Send no Prefer header; the server decides.</summary>
    Unspecified,
    Representation,
    Minimal,
    OperationOutcome,
}

/// <summary>Immutable settings of one <see cref="FhirClient"/>. Transport concerns (retries, auth) live in the handler chain.</summary>
public sealed record FhirClientSettings
{
    private readonly Uri _baseUri = new("http://127.0.0.1/fhir/");

    /// <summary>The FHIR base, e.g. https://example.org/fhir/R4/. A trailing slash is added when missing so relative URLs resolve under it.</summary>
    public required Uri BaseUri
    {
        get => _baseUri;
        init => _baseUri = WithTrailingSlash(value ?? throw new ArgumentNullException(nameof(value)));
    }

    public FhirFormat Format { get; init; } = FhirFormat.Json;

    public PreferReturn PreferReturn { get; init; } = PreferReturn.Representation;

    /// <summary>Parser options for server content. Lenient by default: servers add vendor elements a strict reader rejects.</summary>
    public ParserOptions ParserOptions { get; init; } = ParserOptions.Lenient;

    /// <summary>Upper bound on pages followed by one paging enumeration; a guard against servers whose next links loop.</summary>
    public int MaxPages { get; init; } = 100_000;

    internal static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>True when <paramref name="uri"/> is on this server (same scheme, host, port, under the base path).</summary>
    public bool IsOnServer(Uri uri) =>
        uri.IsAbsoluteUri && BaseUri.IsBaseOf(uri);
}
