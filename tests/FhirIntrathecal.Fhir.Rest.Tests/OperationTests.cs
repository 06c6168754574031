using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Rest.Tests;

public sealed class OperationTests
{
    [Fact]
    public async Task Everything_follows_every_page_and_passes_since_and_types()
    {
        FakeServer? self = null;
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            var page = new Bundle { Type = "searchset" };
            if (n == 1)
            {
                Assert.Equal("/fhir/Patient/p1/$everything", ctx.Request.Path.Value);
                Assert.Equal("Observation,Condition", ctx.Request.Query["_type"].ToString());
                Assert.StartsWith("2024-01-01T00:00:00", ctx.Request.Query["_since"].ToString());
                page.Entry.Add(new Bundle.EntryComponent { Resource = new Patient { Id = "p1" } });
                page.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{self!.FhirBase}Patient/p1/$everything?page=2" });
            }
            else
            {
                page.Entry.Add(new Bundle.EntryComponent { Resource = new Observation { Id = "o1", Status = "final" } });
                page.Entry.Add(new Bundle.EntryComponent { Resource = new OperationOutcome(), Search = new Bundle.SearchComponent { Mode = "outcome" } });
            }

            await FakeServer.WriteResourceAsync(ctx, page);
        });
        self = server;
        using var fhir = server.Client();

        var all = await fhir.Client.EverythingAsync("p1", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), ["Observation", "Condition"]).ToListAsync();

        Assert.Equal(["Patient/p1", "Observation/o1"], all.Select(r => $"{r.TypeInfo.Name}/{r.Id}"));
    }

    [Fact]
    public async Task Validate_returns_the_outcome_whether_the_server_answers_200_or_422()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            Assert.Equal("/fhir/Patient/$validate", ctx.Request.Path.Value);
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            var parameters = FhirJsonParser.Parse<Parameters>(body).Value!;
            Assert.Equal("resource", parameters.Parameter[0].Name?.Value);
            Assert.Equal("http://example.org/StructureDefinition/itm-patient", (parameters.Parameter[1].Value as FhirUri)?.Value);
            await FakeServer.WriteResourceAsync(ctx, n == 1
                ? new OperationOutcome { Issue = [new OperationOutcome.IssueComponent { Severity = "information", Code = "informational" }] }
                : FakeServer.Outcome("invariant", "birthDate must be a date"), n == 1 ? 200 : 422);
        });
        using var fhir = server.Client();
        const string profile = "http://example.org/StructureDefinition/itm-patient";

        var ok = await fhir.Client.ValidateAsync(new Patient(), profile);
        var bad = await fhir.Client.ValidateAsync(new Patient(), profile);

        Assert.Equal("information", ok.Issue[0].Severity?.Value);
        Assert.Equal("birthDate must be a date", bad.Issue[0].Diagnostics?.Value);
    }
}
