using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Exchange.Conformance;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.Report;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Exchange.Tests;

/// <summary>
/// generate-cohort → exchange → push → pull → report against a sandbox of its own (other tests' data would change the
/// report): the report from the server must equal the published marginals, and pushing again (another day, so another
/// Provenance.recorded) must create nothing of any type, Provenance included, by the server's own counts.
/// </summary>
public sealed class CohortRoundTripTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Recorded = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<RegistryExchange> Exchange = new(() => RegistryExchange.CreateDefault());
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

        var prepared = Exchange.Value.Prepare(registryDir, Recorded);
        Assert.Equal((0, 0), (prepared.Errors, prepared.Warnings));
        var first = await pusher.PushAsync(Delivery.Units(prepared, Idempotency.Upsert));
        Assert.Empty(first.Parked);
        var countsAfterFirst = await CountsAsync();

        var again = Exchange.Value.Prepare(registryDir, Recorded.AddDays(1));
        var second = await pusher.PushAsync(Delivery.Units(again, Idempotency.Upsert));
        Assert.Empty(second.Parked);
        Assert.Equal(0, second.ResourcesCreated);
        Assert.Equal(first.Resources, second.Resources);
        Assert.Equal(countsAfterFirst, await CountsAsync());

        var pullDir = Path.Combine(_dir, "pull");
        var pulled = await new ResourcePuller(Client).PullAsync(new PullOptions { OutDirectory = pullDir, PageSize = 500, Types = [.. ExchangeResources.Types] });
        Assert.Equal(prepared.Resources.Count(), pulled.Total);

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

        var first = await pusher.PushAsync(Delivery.Units(Exchange.Value.Prepare(registryDir, Recorded), Idempotency.Conditional));
        var afterFirst = await CountsAsync();
        var second = await pusher.PushAsync(Delivery.Units(Exchange.Value.Prepare(registryDir, Recorded.AddDays(1)), Idempotency.Conditional));

        Assert.Empty(first.Parked);
        Assert.Empty(second.Parked);
        Assert.Equal(3, first.Units);
        Assert.True(first.ResourcesCreated > 0);
        Assert.Equal(afterFirst, await CountsAsync());
        Assert.Equal(0, second.ResourcesCreated);
        Assert.NotEqual(before, afterFirst);
    }

    private static IEnumerable<(Fhir.Model.Resource Resource, string? FullUrl)> ReadBundle(string path)
    {
        var bundle = Fhir.Serialization.Json.FhirJsonParser.Parse<Fhir.Model.Bundle>(File.ReadAllText(path)).Value!;
        return bundle.Entry.Select(e => (e.Resource!, (string?)null));
    }

    private async Task<string> CountsAsync()
    {
        var parts = new List<string>();
        foreach (var type in ExchangeResources.Types)
        {
            var bundle = await Client.SearchAsync(type, SearchParameters.Empty.SummaryCount());
            parts.Add($"{type}={bundle.Total?.ObjectValue}");
        }

        return string.Join(",", parts);
    }
}
