using System.Diagnostics;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests.Security;

public sealed class IntakeStartupRulesTests
{
    private static AdapterOptions With(IntakeOptions intake) => new()
    {
        Fhir = new FhirServerOptions { BaseUrl = new Uri("https://fhir.example.org/r4/") },
        Intake = intake,
    };

    [Fact]
    public void Beyond_loopback_the_intake_needs_TLS_and_authentication_and_on_loopback_anonymous_use_must_be_explicit()
    {
        var validator = new AdapterOptionsValidator();
        var cert = Path.GetTempFileName();
        try
        {
            var open = validator.Validate(null, With(new IntakeOptions { Enabled = true, Url = new Uri("http://0.0.0.0:8091"), AllowAnonymousOnLoopback = true }));
            Assert.True(open.Failed);
            Assert.Contains("Adapter:Intake:Url http://0.0.0.0:8091 is not loopback: refusing to start", open.FailureMessage, StringComparison.Ordinal);

            var tlsNoAuth = validator.Validate(null, With(new IntakeOptions { Enabled = true, Url = new Uri("https://0.0.0.0:8443"), CertificatePath = cert }));
            Assert.True(tlsNoAuth.Failed);

            var loopbackNoAuth = validator.Validate(null, With(new IntakeOptions { Enabled = true }));
            Assert.Contains("Adapter:Intake requires authentication", loopbackNoAuth.FailureMessage, StringComparison.Ordinal);

            Assert.True(validator.Validate(null, With(new IntakeOptions { Enabled = true, AllowAnonymousOnLoopback = true })).Succeeded);
            var production = new IntakeOptions
            {
                Enabled = true,
                Url = new Uri("https://0.0.0.0:8443"),
                CertificatePath = cert,
                Jwt = new IntakeJwtOptions { Issuer = "https://idp/", Audience = "intake", JwksUrl = new Uri("https://idp/jwks") },
            };
            Assert.True(validator.Validate(null, With(production)).Succeeded);
            var httpJwks = validator.Validate(null, With(production with { Jwt = production.Jwt with { JwksUrl = new Uri("http://idp.example/jwks") } }));
            Assert.Contains("Adapter:Intake:Jwt:JwksUrl must be https", httpJwks.FailureMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(cert);
        }
    }

    [Fact]
    public async Task Serve_on_a_non_loopback_address_without_TLS_and_authentication_exits_2_with_the_reason()
    {
        var work = TestData.TempDir("open-intake");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { ServiceProcess.CliDll, "serve", "--Adapter:Fhir:BaseUrl=http://127.0.0.1:9/", "--Adapter:Intake:Enabled=true", $"--Adapter:Intake:Url=http://0.0.0.0:{HostRuns.FreePort()}" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        var text = await stderr + await stdout;
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("is not loopback: refusing to start without https", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }
}
