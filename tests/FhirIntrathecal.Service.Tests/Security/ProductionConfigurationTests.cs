using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>
/// Starts the production configuration printed in docs/service.md (TLS, JWT and mTLS, allow-list) with in-test
/// certificates and keys (generated here, written to a temp folder, never committed) and talks to it over https.
/// </summary>
public sealed partial class ProductionConfigurationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_documented_production_configuration_starts_and_serves_https_with_JWT_and_mutual_TLS()
    {
        // The repository's own file (the test runs from its bin folder under tests/).
        var docs = FindRepoFile(Path.Combine("docs", "service.md"));
        Assert.NotNull(docs);
        var json = ConfigBlock().Match(await File.ReadAllTextAsync(docs)).Groups["json"].Value;
        Assert.False(string.IsNullOrWhiteSpace(json), "docs/service.md has no production-config block");

        var work = TestData.TempDir("production");
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var serverCert = SelfSigned("CN=adapter.test", server: true);
        await File.WriteAllBytesAsync(Path.Combine(work, "intake.pfx"), serverCert.Export(X509ContentType.Pfx, password));
        using var issuer = RSA.Create(2048);
        await File.WriteAllTextAsync(Path.Combine(work, "issuer-public.pem"), issuer.ExportSubjectPublicKeyInfoPem());
        using var labCert = SelfSigned("CN=lab-system", server: false);
        using var strangerCert = SelfSigned("CN=stranger", server: false);
        var port = HostRuns.FreePort();

        json = json
            .Replace("/etc/fhir-intrathecal/intake.pfx", Path.Combine(work, "intake.pfx"), StringComparison.Ordinal)
            .Replace("/etc/fhir-intrathecal/issuer-public.pem", Path.Combine(work, "issuer-public.pem"), StringComparison.Ordinal)
            .Replace("/var/lib/fhir-intrathecal/inbox", Path.Combine(work, "inbox"), StringComparison.Ordinal)
            .Replace("/var/lib/fhir-intrathecal/outbox.db", Path.Combine(work, "outbox.db"), StringComparison.Ordinal)
            .Replace("SHA256-THUMBPRINT-OF-THE-LAB-SYSTEM-CERTIFICATE", labCert.GetCertHashString(HashAlgorithmName.SHA256), StringComparison.Ordinal)
            .Replace("https://0.0.0.0:8443", $"https://127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("adapter.hospital.internal", "127.0.0.1", StringComparison.Ordinal);
        var configPath = Path.Combine(work, "production.json");
        await File.WriteAllTextAsync(configPath, json);

        // The file as documented passes validation (the non-loopback original too: it has TLS and authentication).
        var documented = AdapterHost.ReadOptions(["--config", configPath]);
        Assert.True(new AdapterOptionsValidator().Validate(null, documented).Succeeded);

        using var host = AdapterHost.Build(["--config", configPath, "--Adapter:Dispatcher:Enabled=false", $"--Adapter:Intake:CertificatePassword={password}", "--Logging:LogLevel:Default=Warning"]);
        await host.StartAsync();
        try
        {
            var url = new Uri($"https://127.0.0.1:{port}/");
            var patient = TestData.PatientJson("urn:test:production", "prod-1");
            var token = Token(issuer, "system/*.write");

            Assert.Equal(HttpStatusCode.Accepted, await PostAsync(url, serverCert, null, token, patient));
            Assert.Equal(HttpStatusCode.Accepted, await PostAsync(url, serverCert, labCert, null, TestData.PatientJson("urn:test:production", "prod-2")));
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(url, serverCert, null, null, patient));
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(url, serverCert, strangerCert, null, patient));
            Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(url, serverCert, labCert, null, "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}"));

            // Plain http on the TLS port gets no FHIR answer.
            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var cleartext = await Record.ExceptionAsync(() => plain.PostAsync($"http://127.0.0.1:{port}/intake/fhir", new StringContent(patient, Encoding.UTF8, "application/fhir+json")));
            output.WriteLine($"plain http on the TLS port: {cleartext?.GetType().Name ?? "answered"}");
        }
        finally
        {
            await host.StopAsync();
        }

        Directory.Delete(work, recursive: true);
    }

    private static async Task<HttpStatusCode> PostAsync(Uri url, X509Certificate2 pinnedServer, X509Certificate2? client, string? token, string body)
    {
        var pinned = pinnedServer.GetCertHashString(HashAlgorithmName.SHA256);
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                // Pinned to the in-test server certificate: trust is by identity, not by a CA on this machine.
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString(HashAlgorithmName.SHA256) == pinned,
                // Offered whatever issuers the server names: the allow-list, not a CA, decides.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => client!,
                ClientCertificates = client is null ? null : new X509CertificateCollection { client },
            },
        };
        if (client is null)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = null;
        }

        using var http = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/intake/fhir") { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        Console.WriteLine($"production: {(client is null ? "no certificate" : client.Subject)}, {(token is null ? "no token" : "token")}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    private static string Token(RSA key, string scope) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://idp.hospital.internal/",
        Audience = "fhir-intrathecal-intake",
        Subject = new ClaimsIdentity([new Claim("sub", "lab-system-2"), new Claim("scope", scope)]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
    });

    private static X509Certificate2 SelfSigned(string subject, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private static string? FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex(@"<!-- production-config:begin -->\s*```json\s*(?<json>.*?)```\s*<!-- production-config:end -->", RegexOptions.Singleline)]
    private static partial Regex ConfigBlock();
}
