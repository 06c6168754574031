using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Auth;
using FhirIntrathecal.Fhir.Rest.Resilience;
using FhirIntrathecal.Service.Dispatch;
using FhirIntrathecal.Service.Ingest;
using FhirIntrathecal.Service.Intake;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FhirIntrathecal.Service;

/// <summary>Composes the adapter: configuration sources, validated options, outbox, inbox, dispatcher, intake.</summary>
public static class AdapterHost
{
    /// <summary>Environment variables with this prefix override appsettings.json (FHIRINTRATHECAL_Adapter__Fhir__BaseUrl=...).</summary>
    public const string EnvironmentPrefix = "FHIRINTRATHECAL_";

    /// <summary>
    /// appsettings.json (current directory), then the file named by --config, then FHIRINTRATHECAL_ variables,
    /// then --Adapter:Section:Key=value arguments; later sources win.
    /// </summary>
    public static void AddSources(IConfigurationBuilder configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        var configIndex = Array.IndexOf(args, "--config");
        if (configIndex >= 0 && configIndex + 1 < args.Length)
        {
            configuration.AddJsonFile(Path.GetFullPath(args[configIndex + 1]), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(configIndex < 0 ? args : args.Where((_, i) => i != configIndex && i != configIndex + 1).ToArray());
    }

    /// <summary>Options read and validated without starting anything (the outbox commands use this).</summary>
    public static AdapterOptions ReadOptions(string[] args)
    {
        var builder = new ConfigurationBuilder();
        AddSources(builder, args);
        return builder.Build().GetSection(AdapterOptions.SectionName).Get<AdapterOptions>() ?? new AdapterOptions();
    }

    /// <summary>Every configuration problem, one line each naming the key; empty when the adapter may start.</summary>
    public static IReadOnlyList<string> Problems(string[] args)
    {
        var options = ReadOptions(args);
        var result = new AdapterOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            return [.. result.Failures ?? [result.FailureMessage]];
        }

        return options.Outbox.Provider == OutboxProvider.Sqlite && SqliteOutboxStore.CheckIntegrity(options.Outbox.Path) is { } damaged ? [damaged] : [];
    }

    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        AddSources(builder.Configuration, args);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        // Kestrel's per-request lines would drown the adapter's own; warnings still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<AdapterOptions>, AdapterOptionsValidator>();
        services.AddOptions<AdapterOptions>().Bind(builder.Configuration.GetSection(AdapterOptions.SectionName)).ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AdapterOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<AdapterOptions>().Inbox);
        services.AddSingleton(sp => sp.GetRequiredService<AdapterOptions>().Outbox);
        services.AddSingleton(sp => sp.GetRequiredService<AdapterOptions>().Dispatcher);
        services.AddSingleton(sp => sp.GetRequiredService<AdapterOptions>().Intake);
        services.AddSingleton(sp => sp.GetRequiredService<AdapterOptions>().Audit);
        services.AddSingleton(sp => OutboxStoreFactory.Create(sp.GetRequiredService<OutboxOptions>()));
        // One validator (R4 core, HL7 terminology, our IG) for FHIR files and registries alike; with validation off the
        // FHIR parse stays strict and registries still pass their domain rules.
        services.AddSingleton(sp => FhirIntrathecal.Mapping.Fhir.IntrathecalIg.CreateValidator(new FhirIntrathecal.Fhir.Definitions.PackageCache(sp.GetRequiredService<AdapterOptions>().Validation.PackageCache)));
        services.AddSingleton(sp => FhirFileReader.Create(
            sp.GetRequiredService<AdapterOptions>().Validation.Enabled ? sp.GetRequiredService<FhirIntrathecal.Fhir.Validation.FhirValidator>() : null,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<FhirFileReader>()));
        services.AddSingleton(sp => new FhirIntrathecal.Exchange.RegistryExchange(sp.GetRequiredService<FhirIntrathecal.Fhir.Validation.FhirValidator>()));
        services.AddSingleton<RegistryFolderReader>();
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton(sp =>
        {
            var d = sp.GetRequiredService<DispatcherOptions>();
            return new CircuitBreaker(d.CircuitFailureThreshold, d.CircuitBreakDuration, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new DispatcherStatus(
            sp.GetRequiredService<AdapterOptions>().InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}",
            sp.GetRequiredService<CircuitBreaker>()));
        services.AddSingleton(sp => CreateClient(sp.GetRequiredService<AdapterOptions>().Fhir, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IFhirPushTarget>(sp => new FhirClientPushTarget(sp.GetRequiredService<OwnedFhirClient>().Client, sp.GetRequiredService<DispatcherOptions>().ConditionalCreate));
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<InboxWatcher>();
        services.AddSingleton(sp => new IntakeServer(
            sp.GetRequiredService<IntakeOptions>(), sp.GetRequiredService<IOutboxStore>(), sp.GetRequiredService<FhirFileReader>(), sp.GetRequiredService<RegistryFolderReader>(),
            sp.GetRequiredService<DispatcherStatus>(), sp.GetRequiredService<AdapterOptions>().Dispatcher.Enabled ? sp.GetRequiredService<Dispatcher>() : null,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<DispatcherOptions>().StalledAfter));

        // Start order matters: the outbox exists before anything reads or writes it. AddSingleton<IHostedService>,
        // not AddHostedService: the latter de-duplicates factory registrations of one type (ConditionalService).
        services.AddHostedService<OutboxInitializer>();
        services.AddHostedService<OutboxRetention>();
        services.AddSingleton<IHostedService>(sp => new ConditionalService(sp.GetRequiredService<AdapterOptions>().Dispatcher.Enabled, () => sp.GetRequiredService<Dispatcher>()));
        services.AddSingleton<IHostedService>(sp => new ConditionalService(sp.GetRequiredService<AdapterOptions>().Inbox.Enabled, () =>
        {
            var processor = sp.GetRequiredService<InboxProcessor>();
            if (sp.GetRequiredService<AdapterOptions>().Dispatcher.Enabled)
            {
                var dispatcher = sp.GetRequiredService<Dispatcher>();
                processor.ItemsEnqueued += (_, _) => dispatcher.Wake();
            }

            return sp.GetRequiredService<InboxWatcher>();
        }));
        services.AddSingleton<IHostedService>(sp => new ConditionalService(sp.GetRequiredService<AdapterOptions>().Intake.Enabled, () => sp.GetRequiredService<IntakeServer>()));
        services.AddSingleton<IHostedService>(sp => new ConditionalService(sp.GetRequiredService<AuditOptions>().PushToServer, () => ActivatorUtilities.CreateInstance<AuditForwarder>(sp)));
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(75));
        return builder.Build();
    }

    private static OwnedFhirClient CreateClient(FhirServerOptions fhir, ILoggerFactory loggers)
    {
        var endpoint = new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = fhir.BaseUrl ?? new Uri("http://127.0.0.1/"), PreferReturn = PreferReturn.Minimal },
            // One quick retry for a blip; the outbox does the patient retrying, and this dispatcher owns the circuit.
            Resilience = new FhirResilienceOptions
            {
                MaxRetryAttempts = 1,
                BaseDelay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                AttemptTimeout = fhir.RequestTimeout,
                TotalTimeout = (fhir.RequestTimeout * 2) + TimeSpan.FromSeconds(3),
                CircuitBreakerEnabled = false,
                MaxConcurrency = 0,
            },
            Authentication = string.IsNullOrEmpty(fhir.BearerToken) ? null : new BearerTokenAuthentication(fhir.BearerToken),
        };
        return FhirClientFactory.Create(endpoint, loggers);
    }

    /// <summary>Runs the wrapped hosted service only when its component is enabled (and only then constructs it).</summary>
    private sealed class ConditionalService(bool enabled, Func<IHostedService> factory) : IHostedService
    {
        private IHostedService? _inner;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _inner = enabled ? factory() : null;
            return _inner?.StartAsync(cancellationToken) ?? Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => _inner?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
