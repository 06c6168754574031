using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Rest.Bulk;
using FhirIntrathecal.Fhir.Rest.Resilience;
using FhirIntrathecal.Fhir.Rest.Safety;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Fhir.Rest;

public static class FhirServiceCollectionExtensions
{
    public const string DefaultName = "fhir";

    /// <summary>
    /// Registers a named HttpClient with the FHIR handler chain and <see cref="FhirClient"/> / <see cref="BulkExportClient"/>
    /// (unkeyed for the default name, keyed by <paramref name="name"/> always). Breaker state, the concurrency gate and
    /// the token cache are singletons per name, so they outlive the factory's handler rotation.
    /// </summary>
    public static IHttpClientBuilder AddFhirClient(this IServiceCollection services, FhirEndpoint endpoint, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoint);
        services.AddLogging();

        services.AddKeyedSingleton(name, (sp, _) =>
            new FhirResiliencePipeline(endpoint.Resilience, sp.GetRequiredService<ILogger<FhirResiliencePipeline>>()));

        var tokenClient = name + ".smart-token";
        if (endpoint.Authentication is SmartBackendServicesAuthentication smart)
        {
            services.AddHttpClient(tokenClient).ConfigurePrimaryHttpMessageHandler(FhirTransport.CreatePrimaryHandler);
            services.AddKeyedSingleton(name, (sp, _) => new SmartTokenProvider(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(tokenClient),
                endpoint.Settings.BaseUri,
                smart.Options,
                sp.GetRequiredService<ILogger<SmartTokenProvider>>()));
        }

        var builder = services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(FhirTransport.CreatePrimaryHandler)
            .AddHttpMessageHandler(sp => new FhirResilienceHandler(sp.GetRequiredKeyedService<FhirResiliencePipeline>(name)));
        if (endpoint.Authentication is not null)
        {
            builder.AddHttpMessageHandler(sp => FhirClientFactory.CreateAuthHandler(endpoint, sp.GetKeyedService<SmartTokenProvider>(name))!);
        }

        // Innermost, next to the transport: every attempt's body is counted against the cap.
        builder.AddHttpMessageHandler(() => new ResponseLimitHandler(endpoint.Transport));

        services.AddKeyedTransient(name, (sp, _) => new FhirClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(name), endpoint.Settings, sp.GetRequiredService<ILogger<FhirClient>>()));
        services.AddKeyedTransient(name, (sp, key) => new BulkExportClient(
            sp.GetRequiredKeyedService<FhirClient>(key), sp.GetRequiredService<ILogger<BulkExportClient>>()));
        if (name == DefaultName)
        {
            services.AddTransient(sp => sp.GetRequiredKeyedService<FhirClient>(DefaultName));
            services.AddTransient(sp => sp.GetRequiredKeyedService<BulkExportClient>(DefaultName));
        }

        return builder;
    }
}
