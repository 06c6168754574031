namespace FhirIntrathecal.Service.Options;

/// <summary>Bearer tokens the intake accepts: JWTs from one issuer for one audience, signed by configured keys or a JWKS.</summary>
public sealed record IntakeJwtOptions
{
    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    /// <summary>Public keys (RSA or EC) as PEM text or the path of a PEM file. Never a shared secret.</summary>
    public IReadOnlyList<string> SigningKeys { get; init; } = [];

    /// <summary>Where the issuer publishes its keys (https, or http on loopback); read at start and every <see cref="JwksRefresh"/>.</summary>
    public Uri? JwksUrl { get; init; }

    public TimeSpan JwksRefresh { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    public bool Configured => !string.IsNullOrWhiteSpace(Issuer) || !string.IsNullOrWhiteSpace(Audience) || SigningKeys.Count > 0 || JwksUrl is not null;
}

/// <summary>Mutual TLS: clients whose certificate's SHA-256 thumbprint is listed are authenticated, with these scopes.</summary>
public sealed record IntakeClientCertificateOptions
{
    /// <summary>SHA-256 thumbprints (hex, case and ':' ignored) of the allowed client certificates.</summary>
    public IReadOnlyList<string> AllowedThumbprints { get; init; } = [];

    /// <summary>The scopes a certificate-authenticated client holds (e.g. "intake/fhir intake/registry").</summary>
    public string Scopes { get; init; } = "intake/fhir intake/registry";

    public bool Configured => AllowedThumbprints.Count > 0;
}
