using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Fhir.Rest.Auth;

/// <summary>SMART Backend Services client registration: who we are, what we ask for, and the key that proves it.</summary>
public sealed record SmartBackendServicesOptions
{
    public required string ClientId { get; init; }

    /// <summary>Space-separated scopes, e.g. <c>system/Patient.read system/Observation.read</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>The private key registered (as a JWK Set) with the server. Its KeyId becomes the JWT's kid.</summary>
    public required SecurityKey SigningKey { get; init; }

    /// <summary>RS384 or ES384, the two algorithms SMART requires servers to support.</summary>
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha384;

    /// <summary>The token endpoint; discovered from <c>[base]/.well-known/smart-configuration</c> when null.</summary>
    public Uri? TokenEndpoint { get; init; }

    /// <summary>A token is renewed this long before it expires, so a request never leaves with one about to lapse.</summary>
    public TimeSpan RenewBefore { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The assertion's lifetime; SMART allows at most five minutes.</summary>
    public TimeSpan AssertionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A key from PEM (PKCS#8 or PKCS#1 RSA, SEC1/PKCS#8 EC); the algorithm follows the key type.</summary>
    public static (SecurityKey Key, string Algorithm) KeyFromPem(string pem, string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(pem);
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return (new ECDsaSecurityKey(ec) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha384);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // Not an EC key: try RSA below.
            ec.Dispose();
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return (new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha384);
    }
}
