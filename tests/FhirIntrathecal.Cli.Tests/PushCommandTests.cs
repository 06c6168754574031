using System.Net;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Cli.Tests;

/// <summary>
/// <c>push</c> of FHIR input, run as a process against a sandbox of its own (the Medplum engine in tools/fhir-sandbox):
/// strict parse and validation by default, refused records parked as they came while the valid ones reach the server.
/// </summary>
public sealed class PushCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-push-").FullName;
    private readonly HttpClient _http = new();
    private SandboxServer? _server;

    private string Server => _server!.BaseUri.ToString();

    public async ValueTask InitializeAsync() => _server = await SandboxServer.StartAsync(new SandboxOptions(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Fhir_input_is_validated_refused_records_are_parked_with_their_reason_and_the_rest_is_pushed_exit_1()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "good.json"), """{"resourceType":"Patient","id":"push-good","gender":"female"}""", ct);
        var colour = "{\"resourceType\":\"Patient\",\n\"id\":\"push-colour\",\n\"favouriteColour\":\"blue\"}";
        await File.WriteAllTextAsync(Path.Combine(input, "colour.json"), colour, ct);
        await File.WriteAllTextAsync(Path.Combine(input, "lines.ndjson"),
            """{"resourceType":"Patient","id":"push-line-1"}""" + "\n" + """{"resourceType":"Patient","id":"push-line-2","favouriteColour":"red"}""" + "\n", ct);
        File.Copy(IgExample("Patient-invalid-patient-full-birthdate.json"), Path.Combine(input, "full-birthdate.json"));
        var park = Path.Combine(_dir, "parked");

        var result = await CliRunner.RunAsync("push", input, "--server", Server, "--park", park);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("colour.json:3:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("error FHIR_PARSE", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("(at Patient.favouriteColour)", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("lines.ndjson:2:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("full-birthdate.json:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("error FHIR_INVALID", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(colour, await File.ReadAllTextAsync(Path.Combine(park, "colour.json"), ct));
        Assert.True(File.Exists(Path.Combine(park, "lines-line-2.ndjson")));
        Assert.True(File.Exists(Path.Combine(park, "full-birthdate.json.reason.txt")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("Patient/push-good"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("Patient/push-line-1"));
        Assert.NotEqual(HttpStatusCode.OK, await StatusAsync("Patient/push-colour"));
        Assert.NotEqual(HttpStatusCode.OK, await StatusAsync("Patient/push-line-2"));
        Assert.NotEqual(HttpStatusCode.OK, await StatusAsync("Patient/invalid-patient-full-birthdate"));
    }

    [Fact]
    public async Task No_validate_says_so_loudly_and_pushes_what_only_our_profiles_refuse_exit_0()
    {
        var input = Path.Combine(_dir, "full-birthdate.json");
        File.Copy(IgExample("Patient-invalid-patient-full-birthdate.json"), input);

        var result = await CliRunner.RunAsync("push", input, "--server", Server, "--park", Path.Combine(_dir, "parked"), "--no-validate");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("WARNING: --no-validate", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("Patient/invalid-patient-full-birthdate"));
    }

    [Fact]
    public async Task An_unresolvable_explicit_profile_is_exit_2_and_nothing_is_pushed()
    {
        var input = Path.Combine(_dir, "p.json");
        await File.WriteAllTextAsync(input, """{"resourceType":"Patient","id":"push-profile"}""", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync("push", input, "--server", Server, "--profile", "http://example.org/StructureDefinition/nowhere");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--profile http://example.org/StructureDefinition/nowhere cannot be resolved", result.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, await StatusAsync("Patient/push-profile"));
    }

    private async Task<HttpStatusCode> StatusAsync(string relative)
    {
        using var response = await _http.GetAsync(new Uri(_server!.BaseUri, relative), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    internal static string IgExample(string name) => Path.Combine(CliRunner.RepoRoot, "profiles", "examples-invalid", name);
}
