using System.Net;
using System.Security.Cryptography;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests.Security;

/// <summary>
/// The attacks of issue 11 that target the intake, each run against the real adapter (Kestrel on 127.0.0.1, JWT
/// authentication) and judged by what came back and by what reached the outbox. An attack "succeeds" when the
/// intake did not refuse it the expected way, when it leaked a value it was sent, or when anything was queued.
/// </summary>
public sealed class AdversarialSuiteTests(ITestOutputHelper output)
{
    private const string Victim = "victim-1";

    [Fact]
    public async Task Every_intake_attack_is_refused_nothing_is_queued_and_nothing_is_echoed()
    {
        await using var intake = await SecureIntake.StartAsync("adversarial", "--Adapter:Intake:MaxRequestBytes=1048576");
        var write = intake.Token("system/*.write");
        using var foreignKey = RSA.Create(2048);
        var patient = TestData.PatientJson("urn:test:adversarial", "Jane Doe MRN 123456");
        var attacks = new List<(string Name, Func<Task<(HttpStatusCode Status, string Body)>> Run, HttpStatusCode Expected)>
        {
            ("no token", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", null), HttpStatusCode.Unauthorized),
            ("token signed by another key", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", intake.Token("system/*.write", foreignKey)), HttpStatusCode.Unauthorized),
            ("expired token", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", intake.Token("system/*.write", lifetime: TimeSpan.FromMinutes(-10))), HttpStatusCode.Unauthorized),
            ("token for another audience", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", intake.Token("system/*.write", audience: "another-api")), HttpStatusCode.Unauthorized),
            ("garbage bearer", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", "not.a.jwt"), HttpStatusCode.Unauthorized),
            ("read-only scope on /intake/fhir", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", intake.Token("system/*.read")), HttpStatusCode.Forbidden),
            ("registry scope on /intake/fhir", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", intake.Token("intake/registry")), HttpStatusCode.Forbidden),
            ("fhir scope on /intake/registry", () => intake.PostAsync("/intake/registry", "{}", "application/json", intake.Token("intake/fhir")), HttpStatusCode.Forbidden),
            ("no token on /health", () => GetAsync(intake, "/health", null), HttpStatusCode.Unauthorized),
            ("text/plain DELETE Patient/victim-1", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("DELETE", "Patient/" + Victim), "text/plain", write), HttpStatusCode.UnsupportedMediaType),
            ("form-encoded post", () => intake.PostAsync("/intake/fhir", "a=b", "application/x-www-form-urlencoded", write), HttpStatusCode.UnsupportedMediaType),
            ("DELETE Patient/victim-1 in a transaction", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("DELETE", "Patient/" + Victim), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("DELETE in a batch", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("DELETE", "Patient/" + Victim).Replace("\"transaction\"", "\"batch\"", StringComparison.Ordinal), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("conditional delete", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("DELETE", "Patient?identifier=" + Victim), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("PATCH", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("PATCH", "Patient/" + Victim), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("GET in a transaction", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("GET", "Patient?name=" + Victim), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("conditional update", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("PUT", "Patient?identifier=" + Victim, patient), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("PUT onto another id", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("PUT", "Patient/" + Victim, patient), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("POST to an operation", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("POST", "Patient/$merge", patient), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("POST to an absolute URL", () => intake.PostAsync("/intake/fhir", SecureIntake.Transaction("POST", "https://elsewhere.test/Patient", patient), "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("resource type not on the allow-list", () => intake.PostAsync("/intake/fhir", "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}", "application/fhir+json", write), HttpStatusCode.Forbidden),
            ("NDJSON line carrying a DELETE transaction", () => intake.PostAsync("/intake/fhir", patient + "\n" + SecureIntake.Transaction("DELETE", "Patient/" + Victim) + "\n", "application/fhir+ndjson", write), HttpStatusCode.Forbidden),
            ("browser Origin", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", write, r => r.Headers.Add("Origin", "https://evil.test")), HttpStatusCode.Forbidden),
            ("spoofed Host header", () => intake.PostAsync("/intake/fhir", patient, "application/fhir+json", write, r => r.Headers.Host = "evil.test"), HttpStatusCode.BadRequest),
            ("body over the cap", () => intake.PostAsync("/intake/fhir", "[" + new string(' ', 2 * 1024 * 1024) + "]", "application/fhir+json", write), HttpStatusCode.RequestEntityTooLarge),
        };

        var succeeded = new List<string>();
        foreach (var (name, run, expected) in attacks)
        {
            var (status, body) = await run();
            var leaked = body.Contains(Victim, StringComparison.Ordinal) || body.Contains("Jane Doe", StringComparison.Ordinal) || body.Contains("evil.test", StringComparison.Ordinal);
            output.WriteLine($"{name}: {(int)status}{(leaked ? " (echoed a value it was sent)" : string.Empty)}");
            if (status != expected || leaked)
            {
                succeeded.Add($"{name}: expected {(int)expected}, got {(int)status}{(leaked ? " and the answer echoed a value" : string.Empty)}");
            }
        }

        // Nothing any attack sent reached the outbox.
        await using (var store = new SqliteOutboxStore(intake.OutboxPath))
        {
            var queued = await store.ListAsync(null, 100, CancellationToken.None);
            if (queued.Count > 0)
            {
                succeeded.Add($"{queued.Count} item(s) reached the outbox");
            }
        }

        // The legitimate call still works beside the refusals (a refusal that refuses everything proves nothing).
        var ok = await intake.PostAsync("/intake/fhir", patient, "application/fhir+json", write);
        Assert.Equal(HttpStatusCode.Accepted, ok.Status);
        var registryOk = await intake.PostAsync("/intake/fhir", patient, "application/fhir+json", intake.Token("intake/fhir"));
        Assert.Equal(HttpStatusCode.Accepted, registryOk.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(intake, "/health", write)).Status);

        // The audit trail: every accepted and every refused (403) intake, as FHIR AuditEvents naming the client, no values.
        await using (var store = new SqliteOutboxStore(intake.OutboxPath))
        {
            var audit = await store.ReadAuditAsync(0, 1000, TestContext.Current.CancellationToken);
            var refusals = audit.Count(a => a.Action == AuditAction.Intake && !a.Success);
            var accepted = audit.Count(a => a.Action == AuditAction.Intake && a.Success);
            output.WriteLine($"audit: {accepted} accepted, {refusals} refused intake(s)");
            Assert.Equal(attacks.Count(a => a.Expected == HttpStatusCode.Forbidden && a.Name.Contains("scope", StringComparison.Ordinal) is false && a.Name != "browser Origin"), refusals);
            Assert.Equal(2, accepted);
            Assert.All(audit, a => Assert.Contains("\"resourceType\":\"AuditEvent\"", a.EventJson, StringComparison.Ordinal));
            Assert.Contains(audit, a => a.Who == "lab-system-1");
            Assert.DoesNotContain(audit, a => a.EventJson.Contains("Jane Doe", StringComparison.Ordinal) || a.EventJson.Contains(Victim, StringComparison.Ordinal));
        }

        TestData.Report(output, $"adversarial: {attacks.Count} attacks, {succeeded.Count} succeeded");
        Assert.True(succeeded.Count == 0, string.Join("\n", succeeded));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(SecureIntake intake, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await intake.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
