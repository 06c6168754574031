using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using FhirIntrathecal.Service.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace FhirIntrathecal.Service.Tests;

public sealed class IntakeAndOptionsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Posted_fhir_is_queued_and_delivered_malformed_posts_get_a_located_OperationOutcome()
    {
        await using var sandbox = await TestData.StartSandboxAsync();
        var work = TestData.TempDir("intake");
        var url = $"http://127.0.0.1:{FreePort()}";
        using var host = AdapterHost.Build([.. ServeArgs.For(sandbox.BaseUri, work), "--Adapter:Intake:Enabled=true", "--Adapter:Intake:AllowAnonymousOnLoopback=true", $"--Adapter:Intake:Url={url}"]);
        await host.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        var bundle = $$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{{TestData.PatientJson("urn:test:intake", "i1")}}},{"resource":{{TestData.PatientJson("urn:test:intake", "i2")}}}]}""";
        using var accepted = await http.PostAsync("/intake/fhir", new StringContent(bundle, Encoding.UTF8, "application/fhir+json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var ndjson = TestData.PatientJson("urn:test:intake", "i3") + "\n" + TestData.PatientJson("urn:test:intake", "i1") + "\n";
        using var accepted2 = await http.PostAsync("/intake/fhir", new StringContent(ndjson, Encoding.UTF8, "application/fhir+ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, accepted2.StatusCode);
        Assert.Contains("\"duplicates\": 1", await accepted2.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var refused = await http.PostAsync("/intake/fhir", new StringContent("{\"resourceType\":\"Patient\",\n\"gender\":1}", Encoding.UTF8, "application/fhir+json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var outcome = await refused.Content.ReadAsStringAsync();
        Assert.Contains("OperationOutcome", outcome, StringComparison.Ordinal);
        Assert.Matches(@":2:\d+: error FHIR_PARSE: [^""]*PARSE_WRONG_TYPE", outcome);

        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        await TestData.WaitForDrainAsync(store, 3, TimeSpan.FromMinutes(1));
        var health = await http.GetStringAsync("/health");
        output.WriteLine(health);
        Assert.Contains("\"circuit\": \"Closed\"", health, StringComparison.Ordinal);
        Assert.Contains("\"outboxDepth\": 0", health, StringComparison.Ordinal);
        await host.StopAsync();

        var found = await TestData.PatientIdentifiersAsync(sandbox.BaseUri, "urn:test:intake");
        // i1 was posted twice with identical content: one outbox item, one Patient.
        Assert.Equal(new Dictionary<string, int> { ["i1"] = 1, ["i2"] = 1, ["i3"] = 1 }, found);
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task A_posted_registry_json_is_mapped_into_the_outbox_bad_records_get_located_issues()
    {
        var work = TestData.TempDir("intake-registry");
        var url = $"http://127.0.0.1:{FreePort()}";
        // No dispatcher: this test is about intake → domain rules → mapping → outbox; delivery is the same as for any item.
        using var host = AdapterHost.Build([.. ServeArgs.For(new Uri("http://127.0.0.1:9/"), work), "--Adapter:Dispatcher:Enabled=false", "--Adapter:Intake:Enabled=true", "--Adapter:Intake:AllowAnonymousOnLoopback=true", $"--Adapter:Intake:Url={url}"]);
        await host.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        static string Registry(string dose) =>
            "{\"patients\": [{\"patient_id\": \"R001\", \"sex\": \"female\", \"birth_year\": 1961, \"diagnosis\": \"fbss\"}],\n"
            + " \"administrations\": [\n"
            + $"  {{\"administration_id\": \"R001-A01\", \"patient_id\": \"R001\", \"date\": \"2010-03-04\", \"dose_mg\": {dose}, \"product\": \"Midazolam\", \"diluent\": \"glucose-5\", \"volume_ml\": 2, \"needle_gauge\": 25, \"position\": \"recumbent\", \"level\": \"L3-L4\", \"bed_rest_h\": 3, \"stage\": \"intrathecal-midazolam\", \"relief\": \"unknown\"}}\n"
            + "]}";

        using var accepted = await http.PostAsync("/intake/registry", new StringContent(Registry("3"), Encoding.UTF8, "application/json"));
        var answer = await accepted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Contains("\"items\": 1", answer, StringComparison.Ordinal);

        var bad = Registry("\"three\"");
        using var refused = await http.PostAsync("/intake/registry", new StringContent(bad, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var outcome = await refused.Content.ReadAsStringAsync();
        output.WriteLine(outcome);
        var column = bad.Split('\n')[2].IndexOf("\"three\"", StringComparison.Ordinal) + 1;
        Assert.Contains("\"administrations[0].dose_mg\"", outcome, StringComparison.Ordinal);
        Assert.Contains($"registry.json:3:{column}: error REGISTRY_FORMAT", outcome, StringComparison.Ordinal);
        Assert.Contains("operationoutcome-issue-col\",\"valueInteger\":" + column, outcome, StringComparison.Ordinal);

        using var rule = await http.PostAsync("/intake/registry", new StringContent(Registry("9"), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rule.StatusCode);
        Assert.Contains("RULE_", await rule.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.StopAsync();

        // The accepted post, and from each refused post its accepted part (the patient without the refused administration).
        await using (var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db")))
        {
            Assert.Equal(3, (await store.ListAsync(null, 10, CancellationToken.None)).Count);
        }

        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void The_validator_names_every_bad_key()
    {
        var options = new AdapterOptions
        {
            Fhir = new FhirServerOptions { BaseUrl = new Uri("ftp://x/") },
            Outbox = new OutboxOptions { Provider = OutboxProvider.Postgres, LeaseDuration = TimeSpan.FromSeconds(5) },
            Dispatcher = new DispatcherOptions { Concurrency = 0, BatchSize = 5000 },
        };
        var result = new AdapterOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        foreach (var key in new[] { "Adapter:Fhir:BaseUrl", "Adapter:Outbox:ConnectionString", "Adapter:Outbox:LeaseDuration", "Adapter:Dispatcher:Concurrency", "Adapter:Dispatcher:BatchSize" })
        {
            Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
        }

        Assert.True(new AdapterOptionsValidator().Validate(null, new AdapterOptions { Fhir = new FhirServerOptions { BaseUrl = new Uri("https://fhir.example.org/r4/") } }).Succeeded);
    }

    [Fact]
    public async Task Serve_with_a_bad_configuration_stops_at_once_with_the_reason()
    {
        var work = TestData.TempDir("badconfig");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { ServiceProcess.CliDll, "serve", "--Adapter:Dispatcher:BatchSize=0" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, p.ExitCode);
        var text = await stderr + await stdout;
        Assert.Contains("Adapter:Fhir:BaseUrl must be an absolute http(s) URL", text, StringComparison.Ordinal);
        Assert.Contains("Adapter:Dispatcher:BatchSize must be 1–1000", text, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
