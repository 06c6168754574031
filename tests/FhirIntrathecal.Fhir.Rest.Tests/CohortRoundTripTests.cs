using FhirIntrathecal.Cli.Commands;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Rest.Conformance;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.Report;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>
/// generate-cohort → push → pull → report against a sandbox of its own (other tests' data would change the report):
/// the report from the server must equal the published marginals, and pushing again must add nothing.
/// </summary>
public sealed class CohortRoundTripTests : IAsyncLifetime
{
    private static readonly string Recorded = "2024-01-01T00:00:00Z";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fhir-cohort-" + Guid.NewGuid().ToString("N"));
    private SandboxServer? _server;
    private OwnedFhirClient? _fhir;

    private FhirClient Client => _fhir!.Client;

    public async ValueTask InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        _fhir = FhirClientFactory.Create(FhirEndpoint.For(_server.BaseUri));
    }

    public async ValueTask DisposeAsync()
    {
        _fhir?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_cohort_survives_push_and_pull_and_a_second_push_adds_nothing()
    {
        var registry = CohortGenerator.Generate(0);
        var registryDir = Path.Combine(_dir, "registry");
        RegistryCsv.WriteFolder(registry, registryDir);
        var pusher = new BundlePusher(Client, new PushOptions { ParkDirectory = Path.Combine(_dir, "parked") });

        var first = await pusher.PushAsync(RegistryPushSource.Units(registryDir, RegistryIdempotency.Upsert, 50, Recorded));
        Assert.Empty(first.Parked);
        var countsAfterFirst = await CountsAsync();

        var second = await pusher.PushAsync(RegistryPushSource.Units(registryDir, RegistryIdempotency.Upsert, 50, Recorded));
        Assert.Empty(second.Parked);
        Assert.Equal(first.Resources, second.Resources);
        Assert.Equal(countsAfterFirst, await CountsAsync());

        var pullDir = Path.Combine(_dir, "pull");
        var pulled = await new ResourcePuller(Client).PullAsync(new PullOptions { OutDirectory = pullDir, PageSize = 500 });
        Assert.Equal(first.Resources, pulled.Total);

        var report = StudyReport.Compute(FhirToDomain.Read(FhirFiles.Read(pullDir)));
        Assert.Equal(
            (PublishedCohort.Male, PublishedCohort.Female, PublishedCohort.AdministrationsMale, PublishedCohort.AdministrationsFemale, PublishedCohort.Lbp),
            (report.Male, report.Female, report.AdministrationsMale, report.AdministrationsFemale, report.Lbp));
        Assert.Equal([PublishedCohort.Dose2, PublishedCohort.Dose3, PublishedCohort.Dose4, PublishedCohort.Dose5], report.Doses.Values);
        Assert.Equal(ReportWriter.ToJson(StudyReport.Compute(registry)), ReportWriter.ToJson(report));

        // The bundle.json written by pull reads back to the same report.
        var fromBundle = StudyReport.Compute(FhirToDomain.Read(ReadBundle(pulled.BundlePath!)));
        Assert.Equal(ReportWriter.ToJson(report), ReportWriter.ToJson(fromBundle));
    }

    [Fact]
    public async Task The_demo_runs_end_to_end_against_a_given_server()
    {
        var steps = new List<string>();

        var ok = await DemoCommand.RunAsync(Path.Combine(_dir, "demo"), _server!.BaseUri.ToString(), steps.Add, CancellationToken.None);

        Assert.True(ok);
        Assert.Equal(8, steps.Count);
        Assert.StartsWith("==> Done in", steps[^1]);
        Assert.True(File.Exists(Path.Combine(_dir, "demo", "report.md")));
        Assert.True(File.Exists(Path.Combine(_dir, "demo", "fhir", "validation.ndjson")));
        Assert.True(File.Exists(Path.Combine(_dir, "demo", "check-report.md")));
    }

    [Fact]
    public async Task Conditional_mode_twice_creates_no_duplicates()
    {
        var full = CohortGenerator.Generate(1);
        // The three patients with the fewest administrations: conditional creates cost a search each on the sandbox.
        var ids = full.Administrations.GroupBy(a => a.PatientId).OrderBy(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3).Select(g => g.Key).ToHashSet();
        var small = new Registry(new(full.Patients.Where(p => ids.Contains(p.RegistryId)).ToList()), new(full.Administrations.Where(a => ids.Contains(a.PatientId)).ToList()));
        var registryDir = Path.Combine(_dir, "small");
        RegistryCsv.WriteFolder(small, registryDir);
        var pusher = new BundlePusher(Client, new PushOptions { ParkDirectory = Path.Combine(_dir, "parked-small") });
        var before = await CountsAsync();

        var first = await pusher.PushAsync(RegistryPushSource.Units(registryDir, RegistryIdempotency.Conditional, 50, Recorded));
        var afterFirst = await CountsAsync();
        var second = await pusher.PushAsync(RegistryPushSource.Units(registryDir, RegistryIdempotency.Conditional, 50, Recorded));

        Assert.Empty(first.Parked);
        Assert.Empty(second.Parked);
        Assert.Equal(3, first.Units);
        Assert.True(first.ResourcesCreated > 0);
        Assert.Equal(afterFirst, await CountsAsync());
        Assert.Equal(0, second.ResourcesCreated);
        Assert.NotEqual(before, afterFirst);
    }

    private static IEnumerable<(Model.Resource Resource, string? FullUrl)> ReadBundle(string path)
    {
        var bundle = Serialization.Json.FhirJsonParser.Parse<Model.Bundle>(File.ReadAllText(path)).Value!;
        return bundle.Entry.Select(e => (e.Resource!, (string?)null));
    }

    private async Task<string> CountsAsync()
    {
        var parts = new List<string>();
        foreach (var type in CheckResources.Types)
        {
            var bundle = await Client.SearchAsync(type, SearchParameters.Empty.SummaryCount());
            parts.Add($"{type}={bundle.Total?.ObjectValue}");
        }

        return string.Join(",", parts);
    }
}
