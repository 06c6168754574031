using System.Net;
using System.Text.Json.Nodes;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Conformance;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>The client against the real sandbox server: the interactions as a real server answers them.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxClientTests(SandboxFixture sandbox)
{
    private const string System = "urn:test:rest";

    private FhirClient Client => sandbox.Client;

    [Fact]
    public async Task Create_read_vread_update_patch_delete_round_trip()
    {
        var identifier = Guid.NewGuid().ToString("N");
        var created = await Client.CreateAsync(new Patient { Identifier = [new Identifier { System = System, Value = identifier }], Active = true });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("1", created.VersionId);
        var id = Assert.IsType<string>(created.Id);
        Assert.EndsWith($"Patient/{id}/_history/1", created.Location?.AbsoluteUri);

        var read = await Client.ReadAsync<Patient>(id);
        Assert.True(read.Active?.Value);

        read.Active = false;
        var updated = await Client.UpdateAsync(read, ifMatch: created.VersionId);
        Assert.Equal("2", updated.VersionId);
        Assert.False(updated.Resource?.Active?.Value);

        var stale = await Assert.ThrowsAsync<FhirPreconditionFailedException>(() => Client.UpdateAsync(read, ifMatch: "1"));
        Assert.NotNull(stale.Outcome);

        var patched = await Client.PatchAsync<Patient>(id, [JsonPatchOperation.Replace("/active", JsonValue.Create(true))], ifMatch: "2");
        Assert.Equal("3", patched.VersionId);
        Assert.True(patched.Resource?.Active?.Value);

        var v1 = await Client.VReadAsync<Patient>(id, "1");
        Assert.True(v1.Active?.Value);
        var history = await Client.HistoryAsync("Patient", id);
        Assert.Equal(3, history.Entry.Count);

        Assert.Equal(HttpStatusCode.OK, await Client.DeleteAsync("Patient", id));
        await Assert.ThrowsAsync<FhirGoneException>(() => Client.ReadAsync<Patient>(id));
        // A repeated delete (as after a retry) is not an error.
        Assert.Contains(await Client.DeleteAsync("Patient", id), new[] { HttpStatusCode.Gone, HttpStatusCode.NotFound });
    }

    [Fact]
    public async Task Invalid_content_is_a_400_carrying_the_servers_OperationOutcome()
    {
        var ex = await Assert.ThrowsAsync<FhirOperationException>(() => Client.CreateAsync(new Patient { BirthDate = new Date("1990-13-45") }));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.NotEmpty(ex.OutcomeMessages);
    }

    [Fact]
    public async Task Conditional_create_returns_the_existing_resource_the_second_time()
    {
        var condition = SearchParameters.Empty.Identifier(System, Guid.NewGuid().ToString("N"));
        var patient = new Patient { Identifier = [new Identifier { System = System, Value = condition.Parameters[0].Value.Split('|')[1] }] };

        var first = await Client.CreateAsync(patient, condition);
        var second = await Client.CreateAsync(patient, condition);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task Search_pages_through_every_page_get_and_post()
    {
        var tag = Guid.NewGuid().ToString("N");
        var tx = new TransactionBuilder();
        for (var i = 0; i < 123; i++)
        {
            tx.Create(new Patient { Identifier = [new Identifier { System = System, Value = tag }] });
        }

        var result = await Client.TransactionAsync(tx);
        Assert.True(result.AllSucceeded);

        var query = SearchParameters.Empty.Identifier(System, tag).Count(20);
        var all = await Client.SearchAllAsync<Patient>(query).ToListAsync();
        Assert.Equal(123, all.Select(p => p.Id).Distinct().Count());

        var pages = await Client.PagesAsync(await Client.SearchAsync<Patient>(query, SearchMethod.Post)).CountAsync();
        Assert.Equal(7, pages);
    }

    [Fact]
    public async Task Transaction_maps_responses_back_to_entries_and_resolves_urn_references()
    {
        var patientUrl = TransactionBuilder.NewFullUrl();
        var tx = new TransactionBuilder()
            .Create(new Patient { Active = true }, patientUrl)
            .Create(new Observation { Status = "final", Code = new CodeableConcept { Text = "relief" }, Subject = new Reference { Reference_ = patientUrl } });

        var result = await Client.TransactionAsync(tx);

        Assert.Equal([201, 201], result.Entries.Select(e => e.Status));
        Assert.Equal(patientUrl, result.Entries[0].FullUrl);
        var patient = result.Entries[0].Identity!;
        var observation = await Client.ReadAsync<Observation>(result.Entries[1].Identity!.Id);
        Assert.Equal($"Patient/{patient.Id}", observation.Subject?.Reference_?.Value);
    }

    [Fact]
    public async Task A_failing_transaction_is_rolled_back_and_reported_with_its_outcome()
    {
        var tag = Guid.NewGuid().ToString("N");
        var tx = new TransactionBuilder()
            .Create(new Patient { Identifier = [new Identifier { System = System, Value = tag }] })
            .Create(new Patient { BirthDate = new Date("not-a-date") });

        var ex = await Assert.ThrowsAnyAsync<FhirOperationException>(() => Client.TransactionAsync(tx));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        var left = await Client.SearchAsync<Patient>(SearchParameters.Empty.Identifier(System, tag));
        Assert.Empty(left.Entry);
    }

    [Fact]
    public async Task Batch_reports_each_entry_on_its_own()
    {
        var tx = new TransactionBuilder(BundleKind.Batch)
            .Create(new Patient())
            .Read("Patient", "does-not-exist");

        var result = await Client.TransactionAsync(tx);

        Assert.Equal(201, result.Entries[0].Status);
        Assert.Equal(404, result.Entries[1].Status);
        Assert.Single(result.Failures);
    }

    [Fact]
    public async Task The_conformance_check_passes_every_row_it_claims_the_sandbox_supports()
    {
        // A scope of the test's own (the library knows no application's types): a Patient and an Observation about it.
        const string system = "urn:fhir-rest-tests:check";
        var scope = new CheckScope(["Patient", "Observation"], system, run =>
        {
            var patientUrl = TransactionBuilder.NewFullUrl();
            return new TransactionBuilder()
                .Create(new Patient { Identifier = [new Identifier { System = system, Value = $"{run}-patient" }] }, patientUrl, (string?)null)
                .Create(new Observation { Identifier = [new Identifier { System = system, Value = $"{run}-observation" }], Status = "final", Code = new CodeableConcept { Text = "x" }, Subject = new Reference { Reference_ = patientUrl } }, TransactionBuilder.NewFullUrl(), (string?)null);
        });
        var report = await new ConformanceChecker(Client, scope).RunAsync();

        var failed = report.Rows.Where(r => r.Status == CheckStatus.Fail).Select(r => $"{r.Check}: {r.Detail}");
        Assert.Empty(failed);
        Assert.True(report.Passed);
        Assert.Equal("4.0.1", report.FhirVersion);
        Assert.Contains(report.Rows, r => r.Check.StartsWith("paging", StringComparison.Ordinal) && r.Status == CheckStatus.Pass);
        Assert.Contains(report.Rows, r => r.Check.StartsWith("transaction of all 2 types", StringComparison.Ordinal) && r.Status == CheckStatus.Pass);
        Assert.Contains(report.Rows, r => r.Check == "$validate" && r.Status == CheckStatus.Skip);
        Assert.Equal(CheckStatus.Pass, report.Rows[^1].Status);
        Assert.Contains("| cleanup |", report.ToMarkdown());
        Assert.Contains("\"rows\"", report.ToJson());

        // Cleanup really removed the run's data.
        var leftovers = await Client.SearchAsync<Patient>(SearchParameters.Empty.Add("identifier", system + "|"));
        Assert.Empty(leftovers.Entry);
    }
}

/// <summary>push and pull against the real sandbox.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxTransferTests(SandboxFixture sandbox) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fhir-sbx-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Pushing_the_same_resources_twice_creates_no_duplicates_and_pull_gets_them_back()
    {
        var tag = Guid.NewGuid().ToString("N");
        var resources = Enumerable.Range(0, 30).Select(i => (Resource)new Patient { Identifier = [new Identifier { System = "urn:test:push", Value = $"{tag}-{i}" }] }).ToList();
        var pusher = new Transfer.BundlePusher(sandbox.Client, new Transfer.PushOptions { BatchSize = 8, ParkDirectory = Path.Combine(_dir, "parked") });

        var first = await pusher.PushAsync(Transfer.PushInputs.FromResource("set", new Bundle { Type = "collection", Entry = resources.Select(r => new Bundle.EntryComponent { Resource = r }).ToList() }, 8));
        var second = await pusher.PushAsync(Transfer.PushInputs.FromResource("set", new Bundle { Type = "collection", Entry = resources.Select(r => new Bundle.EntryComponent { Resource = r.DeepCopy() as Resource }).ToList() }, 8));

        Assert.Equal((4, 30, 0), (first.Units, first.ResourcesCreated, first.Parked.Count));
        Assert.Equal((4, 0, 30), (second.Units, second.ResourcesCreated, second.ResourcesMatched));

        var all = await sandbox.Client.SearchAllAsync<Patient>(SearchParameters.Empty.Count(1000)).ToListAsync();
        Assert.Equal(30, all.Count(p => p.Identifier.Any(i => i.Value?.Value?.StartsWith(tag, StringComparison.Ordinal) == true)));

        var pulled = await new Transfer.ResourcePuller(sandbox.Client).PullAsync(new Transfer.PullOptions { OutDirectory = _dir, Types = ["Patient"], PageSize = 7 });
        Assert.Equal(all.Count, pulled.Counts["Patient"]);
        Assert.True(File.Exists(pulled.BundlePath));
    }
}
