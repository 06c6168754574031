using System.CommandLine;
using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Serialization;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// The connection options every server command shares. Secrets come from environment variables or files, never
/// from arguments, because arguments end up in shell history and process listings.
/// </summary>
internal sealed class ServerOptions
{
    public const string TokenVariable = "FHIR_BEARER_TOKEN";
    public const string BasicVariable = "FHIR_BASIC_AUTH";

    public Option<string> Server { get; } = new("--server") { Description = "FHIR base URL, e.g. http://127.0.0.1:8080/fhir/R4", Required = true };

    public Option<string> Auth { get; } = new("--auth")
    {
        Description = $"none | bearer (${TokenVariable}) | basic (${BasicVariable}=user:password) | smart (--smart-client-id, --smart-key)",
        DefaultValueFactory = _ => "none",
    };

    public Option<string?> SmartClientId { get; } = new("--smart-client-id") { Description = "SMART Backend Services client id" };

    public Option<string?> SmartKey { get; } = new("--smart-key") { Description = "PEM file with the client's private key (RSA → RS384, EC → ES384)" };

    public Option<string> SmartKeyId { get; } = new("--smart-kid") { Description = "kid of the registered public key", DefaultValueFactory = _ => "1" };

    public Option<string> SmartScope { get; } = new("--smart-scope") { Description = "Scopes to request", DefaultValueFactory = _ => "system/*.read system/*.write" };

    public Option<string> WireFormat { get; } = new("--wire-format") { Description = "What goes over HTTP: json or xml", DefaultValueFactory = _ => "json" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log requests, retries and token renewals to stderr (secrets are never logged)" };

    public void AddTo(Command command)
    {
        WireFormat.OneOf("json", "xml");
        Auth.OneOf("none", "bearer", "basic", "smart");
        foreach (var option in new Option[] { Server, Auth, SmartClientId, SmartKey, SmartKeyId, SmartScope, WireFormat, Verbose })
        {
            command.Options.Add(option);
        }
    }

    public OwnedFhirClient CreateClient(ParseResult parse, ILoggerFactory logging) =>
        FhirClientFactory.Create(Endpoint(parse), logging);

    public ILoggerFactory Logging(ParseResult parse) => new StderrLoggerFactory(parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning);

    public FhirEndpoint Endpoint(ParseResult parse) => new()
    {
        Settings = new FhirClientSettings
        {
            BaseUri = new Uri(parse.GetValue(Server)!, UriKind.Absolute),
            Format = parse.GetValue(WireFormat) == "xml" ? FhirFormat.Xml : FhirFormat.Json,
        },
        Authentication = parse.GetValue(Auth) switch
        {
            "bearer" => new BearerTokenAuthentication(Environment.GetEnvironmentVariable(TokenVariable)
                ?? throw new UsageException($"--auth bearer needs ${TokenVariable}.")),
            "basic" => Basic(),
            "smart" => Smart(parse),
            _ => null,
        },
    };

    private static BasicAuthentication Basic()
    {
        var value = Environment.GetEnvironmentVariable(BasicVariable) ?? throw new UsageException($"--auth basic needs ${BasicVariable}=user:password.");
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? new BasicAuthentication(value[..colon], value[(colon + 1)..]) : throw new UsageException($"${BasicVariable} must be user:password.");
    }

    private SmartBackendServicesAuthentication Smart(ParseResult parse)
    {
        var clientId = parse.GetValue(SmartClientId) ?? throw new UsageException("--auth smart needs --smart-client-id.");
        var keyFile = parse.GetValue(SmartKey) ?? throw new UsageException("--auth smart needs --smart-key.");
        var (key, algorithm) = SmartBackendServicesOptions.KeyFromPem(File.ReadAllText(keyFile), parse.GetValue(SmartKeyId)!);
        return new SmartBackendServicesAuthentication(new SmartBackendServicesOptions
        {
            ClientId = clientId,
            Scope = parse.GetValue(SmartScope)!,
            SigningKey = key,
            Algorithm = algorithm,
        });
    }
}
