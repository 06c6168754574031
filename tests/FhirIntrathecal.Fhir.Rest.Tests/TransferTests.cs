using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Fhir.Serialization.Json;
using Microsoft.AspNetCore.Http;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>push and pull: idempotent input, parking instead of dropping, resumable pulls.</summary>
public sealed class TransferTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fhir-transfer-" + Guid.NewGuid().ToString("N"));

    public TransferTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Loose_resources_become_idempotent_entries()
    {
        var withId = PushInputs.IdempotentEntry(new Patient { Id = "p1" });
        var withIdentifier = PushInputs.IdempotentEntry(new Patient { Identifier = [new Identifier { System = "urn:s", Value = "a|b" }] });
        var bare = PushInputs.IdempotentEntry(new Patient());

        Assert.Equal(("PUT", "Patient/p1"), (withId.Request!.Method!.Value, withId.Request.Url!.Value));
        Assert.Equal("identifier=urn:s|a\\|b", withIdentifier.Request!.IfNoneExist?.Value);
        Assert.Null(bare.Request!.IfNoneExist);
        Assert.False(BundleResult.IsSafeToRepeat(PushInputs.Transaction([new Patient()])));
        Assert.True(BundleResult.IsSafeToRepeat(PushInputs.Transaction([new Patient { Id = "x" }])));
    }

    [Fact]
    public void Creates_that_cannot_deduplicate_become_upserts_by_their_stable_urn()
    {
        var bundle = new Bundle { Type = "transaction" };
        void Add(Resource r, string uuid, string? ifNoneExist) => bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + uuid,
            Resource = r,
            Request = new Bundle.RequestComponent { Method = "POST", Url = r.TypeInfo.Name, IfNoneExist = ifNoneExist },
        });
        Add(new Patient { Identifier = [new Identifier { System = "urn:s", Value = "1" }] }, "a", "identifier=urn%3As|1");
        Add(new Observation { Status = "final" }, "b", "identifier=urn%3As|obs-without-identifier");
        Add(new AdverseEvent { Identifier = new Identifier { System = "urn:s", Value = "ae" } }, "c", "identifier=urn%3As|ae");
        Add(new Provenance(), "d", null);

        PushInputs.UpsertUnconditionalCreates(bundle);

        Assert.Equal(["POST Patient", "PUT Observation/b", "PUT AdverseEvent/c", "PUT Provenance/d"],
            bundle.Entry.Select(e => $"{e.Request!.Method!.Value} {e.Request.Url!.Value}"));
        Assert.True(BundleResult.IsSafeToRepeat(bundle));
    }

    [Fact]
    public async Task A_rejected_transaction_is_parked_with_its_reason_never_dropped()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            if (body.Contains("\"bad\"", StringComparison.Ordinal))
            {
                await FakeServer.WriteResourceAsync(ctx, FakeServer.Outcome("invalid", "Patient.gender: unknown code"), 400);
                return;
            }

            var response = new Bundle { Type = "transaction-response" };
            response.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "201 Created" } });
            await FakeServer.WriteResourceAsync(ctx, response);
        });
        using var fhir = server.Client();
        var park = Path.Combine(_dir, "parked");
        var units = new[]
        {
            new PushUnit("one", PushInputs.Transaction([new Patient { Id = "good1" }])),
            new PushUnit("two", PushInputs.Transaction([new Patient { Id = "bad" }])),
            new PushUnit("three", PushInputs.Transaction([new Patient { Id = "good2" }])),
        };

        var result = await new BundlePusher(fhir.Client, new PushOptions { ParkDirectory = park }).PushAsync(units);

        Assert.Equal(3, result.Units);
        Assert.Equal(2, result.Succeeded);
        var parked = Assert.Single(result.Parked);
        Assert.Equal("two", parked.Source);
        Assert.Contains("unknown code", parked.Reason);
        Assert.True(File.Exists(parked.Path));
        Assert.Contains("unknown code", await File.ReadAllTextAsync(Path.Combine(park, "two.reason.txt")));
        var reparsed = FhirJsonParser.Parse<Bundle>(await File.ReadAllTextAsync(parked.Path));
        Assert.Equal("bad", reparsed.Value?.Entry[0].Resource?.Id);
    }

    [Fact]
    public async Task An_interrupted_pull_resumes_from_the_last_page_without_duplicates()
    {
        var failPage2 = true;
        FakeServer? self = null;
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            var offset = int.TryParse(ctx.Request.Query["_offset"], out var o) ? o : 0;
            if (offset == 10 && failPage2)
            {
                ctx.Response.StatusCode = 500;
                return;
            }

            var page = new Bundle { Type = "searchset" };
            for (var i = offset; i < Math.Min(offset + 10, 25); i++)
            {
                page.Entry.Add(new Bundle.EntryComponent { Resource = new Patient { Id = $"p{i}" }, Search = new Bundle.SearchComponent { Mode = "match" } });
            }

            if (offset + 10 < 25)
            {
                page.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{self!.FhirBase}Patient?_count=10&_offset={offset + 10}" });
            }

            await FakeServer.WriteResourceAsync(ctx, page);
        });
        self = server;
        using var fhir = server.Client(FakeServer.FastResilience with { MaxRetryAttempts = 0 });
        var puller = new ResourcePuller(fhir.Client);
        var options = new PullOptions { OutDirectory = _dir, Types = ["Patient"], PageSize = 10 };

        await Assert.ThrowsAsync<FhirOperationException>(() => puller.PullAsync(options));
        Assert.Equal(10, File.ReadAllLines(Path.Combine(_dir, "ndjson", "Patient.ndjson")).Length);

        failPage2 = false;
        var result = await puller.PullAsync(options);

        Assert.True(result.Resumed);
        Assert.Equal(25, result.Counts["Patient"]);
        var ids = File.ReadAllLines(Path.Combine(_dir, "ndjson", "Patient.ndjson")).Select(l => FhirJsonParser.Parse(l).Value!.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"p{i}"), ids);
        var bundle = FhirJsonParser.Parse<Bundle>(await File.ReadAllTextAsync(result.BundlePath!));
        Assert.True(bundle.Success, string.Join("; ", bundle.Issues));
        Assert.Equal(25, bundle.Value!.Entry.Count);
        Assert.Equal("Patient/p0", bundle.Value.Entry[0].FullUrl?.Value);
        Assert.DoesNotContain(server.Log, l => l.Contains("_offset=0", StringComparison.Ordinal));
    }
}
