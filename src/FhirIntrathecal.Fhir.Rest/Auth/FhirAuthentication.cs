using System.Text;

namespace FhirIntrathecal.Fhir.Rest.Auth;

/// <summary>
/// How the client authenticates. Records print their members by default; every subtype overrides that so a
/// secret never reaches a log line or an exception message through ToString.
/// </summary>
public abstract record FhirAuthentication
{
    protected virtual bool PrintMembers(StringBuilder builder) => false;
}

/// <summary>A fixed bearer token (from a vault, a CI secret...).</summary>
public sealed record BearerTokenAuthentication(string Token) : FhirAuthentication
{
    public override string ToString() => "BearerTokenAuthentication { Token = *** }";
}

/// <summary>HTTP Basic (servers behind a reverse proxy, test servers).</summary>
public sealed record BasicAuthentication(string UserName, string Password) : FhirAuthentication
{
    public override string ToString() => $"BasicAuthentication {{ UserName = {UserName}, Password = *** }}";
}

/// <summary>SMART Backend Services (client_credentials with a signed JWT assertion).</summary>
public sealed record SmartBackendServicesAuthentication(SmartBackendServicesOptions Options) : FhirAuthentication
{
    public override string ToString() => $"SmartBackendServicesAuthentication {{ ClientId = {Options.ClientId}, Scope = {Options.Scope} }}";
}
