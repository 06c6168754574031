using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>
/// A real adapter (AdapterHost, Kestrel on 127.0.0.1) with JWT authentication whose issuer key is generated in-test,
/// plus helpers to mint tokens (good, expired, foreign-signed, wrong audience) and post bodies.
/// </summary>
public sealed class SecureIntake : IAsyncDisposable
{
    public const string Issuer = "https://idp.test/";
    public const string Audience = "fhir-intrathecal-intake";

    private readonly IHost _host;

    private SecureIntake(IHost host, string work, Uri url, RSA key)
    {
        _host = host;
        Work = work;
        Url = url;
        Key = key;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Work { get; }

    public Uri Url { get; }

    public RSA Key { get; }

    public HttpClient Http { get; }

    public string OutboxPath => Path.Combine(Work, "outbox.db");

    public static async Task<SecureIntake> StartAsync(string name, params string[] extra)
    {
        var work = TestData.TempDir(name);
        var key = RSA.Create(2048);
        var url = new Uri($"http://127.0.0.1:{HostRuns.FreePort()}/");
        string[] args =
        [
            .. ServeArgs.For(new Uri("http://127.0.0.1:9/"), work),
            "--Adapter:Dispatcher:Enabled=false",
            "--Adapter:Intake:Enabled=true",
            $"--Adapter:Intake:Url={url}",
            $"--Adapter:Intake:Jwt:Issuer={Issuer}",
            $"--Adapter:Intake:Jwt:Audience={Audience}",
            $"--Adapter:Intake:Jwt:SigningKeys:0={key.ExportSubjectPublicKeyInfoPem()}",
            .. extra,
        ];
        var host = AdapterHost.Build(args);
        await host.StartAsync();
        return new SecureIntake(host, work, url, key);
    }

    public string Token(string scope, RSA? signer = null, string audience = Audience, TimeSpan? lifetime = null, string subject = "lab-system-1")
    {
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromMinutes(5);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("scope", scope)]),
            IssuedAt = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(5) : now,
            NotBefore = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(5) : now,
            Expires = now + life,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signer ?? Key), SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string body, string mediaType, string? token, Action<HttpRequestMessage>? tweak = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        tweak?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        Key.Dispose();
        Directory.Delete(Work, recursive: true);
    }

    /// <summary>A transaction Bundle with one entry of the given request (and resource, when any).</summary>
    public static string Transaction(string method, string url, string? resource = null)
    {
        var withResource = resource is null ? string.Empty : "\"resource\":" + resource + ",";
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{" + withResource
            + "\"request\":{\"method\":\"" + method + "\",\"url\":\"" + url + "\"}}]}";
    }
}
