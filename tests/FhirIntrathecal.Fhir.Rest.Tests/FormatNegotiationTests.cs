using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Xml;
using Microsoft.AspNetCore.Http;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Rest.Tests;

public sealed class FormatNegotiationTests
{
    [Fact]
    public async Task Xml_is_requested_sent_and_read_when_configured()
    {
        string? accept = null, contentType = null, body = null;
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            accept = ctx.Request.Headers.Accept.ToString();
            contentType = ctx.Request.ContentType;
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            ctx.Response.StatusCode = 201;
            ctx.Response.ContentType = "application/fhir+xml";
            ctx.Response.Headers.ETag = "W/\"1\"";
            await ctx.Response.WriteAsync(FhirXmlSerializer.SerializeToString(new Patient { Id = "x1", Active = true }));
        });
        using var fhir = FhirClientFactory.Create(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase, Format = FhirFormat.Xml },
            Resilience = FakeServer.FastResilience,
        });

        var created = await fhir.Client.CreateAsync(new Patient { Active = true });

        Assert.Equal("application/fhir+xml", accept);
        Assert.StartsWith("application/fhir+xml", contentType);
        Assert.Contains("<Patient xmlns=\"http://hl7.org/fhir\"", body);
        Assert.Equal("x1", created.Id);
        Assert.Equal("1", created.VersionId);
        Assert.True(created.Resource?.Active?.Value);
    }

    [Fact]
    public async Task A_json_answer_to_an_xml_request_is_still_read_by_its_content_type()
    {
        await using var server = await FakeServer.StartAsync((ctx, _) => FakeServer.WriteResourceAsync(ctx, FakeServer.Patient("j1")));
        using var fhir = FhirClientFactory.Create(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase, Format = FhirFormat.Xml },
            Resilience = FakeServer.FastResilience,
        });

        Assert.Equal("j1", (await fhir.Client.ReadAsync<Patient>("j1")).Id);
    }
}
