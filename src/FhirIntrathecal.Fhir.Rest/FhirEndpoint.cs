using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Rest.Resilience;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>Everything needed to talk to one FHIR server: FHIR settings, resilience and authentication.</summary>
public sealed record FhirEndpoint
{
    public required FhirClientSettings Settings { get; init; }

    public FhirResilienceOptions Resilience { get; init; } = FhirResilienceOptions.Default;

    /// <summary>Redirects, credentials over http, answer caps.</summary>
    public FhirTransportOptions Transport { get; init; } = FhirTransportOptions.Default;

    /// <summary>Null: anonymous.</summary>
    public FhirAuthentication? Authentication { get; init; }

    /// <summary>Shorthand for an anonymous JSON endpoint with default resilience.</summary>
    public static FhirEndpoint For(Uri baseUri) => new() { Settings = new FhirClientSettings { BaseUri = baseUri } };
}
