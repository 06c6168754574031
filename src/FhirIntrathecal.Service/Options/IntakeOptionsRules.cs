using System.Net;

namespace FhirIntrathecal.Service.Options;

/// <summary>
/// What the intake needs before it may start: nothing listens beyond loopback without TLS and authentication, and
/// nothing listens at all without authentication unless anonymous loopback use was asked for explicitly.
/// </summary>
public static class IntakeOptionsRules
{
    private const string P = AdapterOptions.SectionName + ":Intake";

    public static void Validate(IntakeOptions intake, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(errors);
        if (!intake.Enabled)
        {
            return;
        }

        var url = intake.Url;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{P}:Url must be an absolute http(s) URL such as http://127.0.0.1:8091.");
            return;
        }

        if (!IPAddress.TryParse(url.Host, out _) && !url.IsLoopback)
        {
            errors.Add($"{P}:Url must name an IP address to bind (or localhost), not a host name.");
        }

        var authenticated = intake.Jwt.Configured || intake.ClientCertificates.Configured;
        var https = url.Scheme == Uri.UriSchemeHttps;
        if (!url.IsLoopback && !(https && authenticated))
        {
            errors.Add($"{P}:Url {url.GetLeftPart(UriPartial.Authority)} is not loopback: refusing to start without https ({P}:CertificatePath) and authentication ({P}:Jwt or {P}:ClientCertificates).");
        }
        else if (!authenticated && !intake.AllowAnonymousOnLoopback)
        {
            errors.Add($"{P} requires authentication: configure {P}:Jwt or {P}:ClientCertificates, or set {P}:AllowAnonymousOnLoopback=true (honoured on loopback only).");
        }

        if (https && string.IsNullOrWhiteSpace(intake.CertificatePath))
        {
            errors.Add($"{P}:CertificatePath is required for an https Url.");
        }
        else if (!string.IsNullOrWhiteSpace(intake.CertificatePath) && !File.Exists(intake.CertificatePath))
        {
            errors.Add($"{P}:CertificatePath names no file.");
        }

        if (intake.ClientCertificates.Configured && !https)
        {
            errors.Add($"{P}:ClientCertificates needs an https Url (mutual TLS).");
        }

        var jwt = intake.Jwt;
        if (jwt.Configured)
        {
            if (string.IsNullOrWhiteSpace(jwt.Issuer) || string.IsNullOrWhiteSpace(jwt.Audience))
            {
                errors.Add($"{P}:Jwt:Issuer and {P}:Jwt:Audience are both required.");
            }

            if (jwt.SigningKeys.Count == 0 && jwt.JwksUrl is null)
            {
                errors.Add($"{P}:Jwt needs SigningKeys (PEM public keys) or a JwksUrl.");
            }

            if (jwt.JwksUrl is { } jwks && (!jwks.IsAbsoluteUri || (jwks.Scheme != Uri.UriSchemeHttps && !(jwks.Scheme == Uri.UriSchemeHttp && jwks.IsLoopback))))
            {
                errors.Add($"{P}:Jwt:JwksUrl must be https (or http on loopback).");
            }

            if (jwt.JwksRefresh <= TimeSpan.Zero || jwt.ClockSkew < TimeSpan.Zero)
            {
                errors.Add($"{P}:Jwt:JwksRefresh must be positive and ClockSkew not negative.");
            }
        }

        if (intake.RequestsPerMinute < 1 || intake.MaxConcurrentRequests is < 1 or > 1024)
        {
            errors.Add($"{P}:RequestsPerMinute must be at least 1 and MaxConcurrentRequests 1–1024.");
        }

        if (intake.MaxItemBytes < 1 || intake.MaxRequestBytes < 1)
        {
            errors.Add($"{P}:MaxItemBytes and MaxRequestBytes must be positive.");
        }
    }
}
