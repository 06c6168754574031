using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using FhirIntrathecal.Service.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Service.Intake;

/// <summary>
/// Who may call the intake and what for: JWT bearer tokens (issuer, audience, signing keys from configuration or a
/// JWKS) and/or client certificates pinned by SHA-256 thumbprint; scopes decide the endpoint. SMART system scopes
/// that allow creating (<c>system/*.write</c>, <c>system/*.*</c>, v2 <c>system/*.c…</c>) open both intake endpoints;
/// ours (<c>intake/fhir</c>, <c>intake/registry</c>) open one each. Any authenticated caller may read /health.
/// </summary>
public static class IntakeAuthentication
{
    public const string FhirScope = "intake/fhir";
    public const string RegistryScope = "intake/registry";
    public const string FhirPolicy = "intake-fhir";
    public const string RegistryPolicy = "intake-registry";
    public const string HealthPolicy = "intake-health";
    public const string CertificateScheme = "ClientCertificate";

    public static bool IsConfigured(IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Jwt.Configured || options.ClientCertificates.Configured;
    }

    /// <summary>Registers the schemes and the three policies; <paramref name="jwks"/> supplies keys published at a JWKS URL.</summary>
    public static void Add(IServiceCollection services, IntakeOptions options, JwksKeySource? jwks)
    {
        ArgumentNullException.ThrowIfNull(options);
        var schemes = new List<string>();
        var auth = services.AddAuthentication();
        if (options.Jwt.Configured)
        {
            var jwt = options.Jwt;
            var configured = jwt.SigningKeys.Select(SigningKeys.Load).ToList();
            auth.AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.RequireHttpsMetadata = true;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ClockSkew = jwt.ClockSkew,
                    NameClaimType = "sub",
                    IssuerSigningKeyResolver = (_, _, _, _) => jwks is null ? configured : [.. configured, .. jwks.Keys],
                };
            });
            schemes.Add(JwtBearerDefaults.AuthenticationScheme);
        }

        if (options.ClientCertificates.Configured)
        {
            services.AddSingleton(options.ClientCertificates);
            auth.AddScheme<AuthenticationSchemeOptions, ClientCertificateHandler>(CertificateScheme, null);
            schemes.Add(CertificateScheme);
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(FhirPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser().RequireAssertion(c => Allows(c.User, FhirScope)))
            .AddPolicy(RegistryPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser().RequireAssertion(c => Allows(c.User, RegistryScope)))
            .AddPolicy(HealthPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser());
    }

    /// <summary>True when one of the caller's scopes opens the endpoint <paramref name="endpointScope"/>.</summary>
    public static bool Allows(ClaimsPrincipal user, string endpointScope)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Scopes(user).Any(s => s == endpointScope || s is "system/*.write" or "system/*.*" || IsSmartV2Create(s));
    }

    /// <summary>Who the caller is, for the audit trail: the token's subject, the certificate, or anonymous (loopback only).</summary>
    public static string ClientOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
            : user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value ?? "anonymous@loopback";
    }

    private static IEnumerable<string> Scopes(ClaimsPrincipal user) =>
        user.FindAll("scope").Concat(user.FindAll("scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>SMART v2: system/*.cruds-style permission letters, in that order, including c (create).</summary>
    private static bool IsSmartV2Create(string scope)
    {
        const string prefix = "system/*.";
        if (!scope.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var letters = scope[prefix.Length..];
        var order = "cruds";
        var at = 0;
        foreach (var c in letters)
        {
            var next = order.IndexOf(c, at);
            if (next < 0)
            {
                return false;
            }

            at = next + 1;
        }

        return letters.Contains('c', StringComparison.Ordinal);
    }

    /// <summary>Authenticates a TLS client certificate whose SHA-256 thumbprint is on the allow-list.</summary>
    private sealed class ClientCertificateHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IntakeClientCertificateOptions certificates) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private readonly HashSet<string> _allowed = certificates.AllowedThumbprints
            .Select(t => t.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var certificate = await Context.Connection.GetClientCertificateAsync(Context.RequestAborted).ConfigureAwait(false);
            if (certificate is null)
            {
                return AuthenticateResult.NoResult();
            }

            var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            if (!_allowed.Contains(thumbprint))
            {
                return AuthenticateResult.Fail("The client certificate is not on the allow-list.");
            }

            var identity = new ClaimsIdentity(
                [new Claim("sub", "cert:" + thumbprint[..16]), new Claim("scope", certificates.Scopes)], CertificateScheme, "sub", null);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), CertificateScheme));
        }
    }
}
