using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Rest.Bulk;
using Microsoft.Extensions.DependencyInjection;

namespace FhirIntrathecal.Fhir.Rest.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddFhirClient_composes_resilience_and_auth_and_shares_breaker_state_per_name()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (ctx.Request.Headers.Authorization.ToString() != "Bearer di-token")
            {
                ctx.Response.StatusCode = 401;
                return;
            }

            if (n == 1)
            {
                ctx.Response.StatusCode = 503;
                return;
            }

            await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
        });
        var services = new ServiceCollection();
        services.AddFhirClient(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase },
            Resilience = FakeServer.FastResilience,
            Authentication = new BearerTokenAuthentication("di-token"),
        });
        services.AddFhirClient(FhirEndpoint.For(new Uri("http://127.0.0.1:9/other/")), "other");
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<FhirClient>();
        var patient = await client.ReadAsync<Patient>("1");

        Assert.Equal("1", patient.Id);
        Assert.Equal(2, server.Requests);
        Assert.NotNull(provider.GetRequiredService<BulkExportClient>());
        Assert.Equal(new Uri("http://127.0.0.1:9/other/"), provider.GetRequiredKeyedService<FhirClient>("other").Settings.BaseUri);
        Assert.Same(
            provider.GetRequiredKeyedService<Resilience.FhirResiliencePipeline>(FhirServiceCollectionExtensions.DefaultName),
            provider.GetRequiredKeyedService<Resilience.FhirResiliencePipeline>(FhirServiceCollectionExtensions.DefaultName));
    }
}
