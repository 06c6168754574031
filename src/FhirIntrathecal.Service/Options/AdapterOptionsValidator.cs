using Microsoft.Extensions.Options;

namespace FhirIntrathecal.Service.Options;

/// <summary>Checks the configuration at start (ValidateOnStart) so a typo stops the service with a message naming the key.</summary>
public sealed class AdapterOptionsValidator : IValidateOptions<AdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, AdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string p = AdapterOptions.SectionName;

        if (options.Fhir.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            if (options.Dispatcher.Enabled || options.Audit.PushToServer)
            {
                errors.Add($"{p}:Fhir:BaseUrl must be an absolute http(s) URL of the FHIR server (got '{options.Fhir.BaseUrl}').");
            }
        }

        if (options.Fhir.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Fhir:RequestTimeout must be positive.");
        }

        if (options.Inbox.Enabled && string.IsNullOrWhiteSpace(options.Inbox.Path))
        {
            errors.Add($"{p}:Inbox:Path is required when the inbox is enabled.");
        }

        if (options.Inbox.ChunkSize is < 1 or > 100_000)
        {
            errors.Add($"{p}:Inbox:ChunkSize must be 1–100000 (got {options.Inbox.ChunkSize}).");
        }

        if (options.Inbox.MaxItemBytes < 1024)
        {
            errors.Add($"{p}:Inbox:MaxItemBytes must be at least 1024 (got {options.Inbox.MaxItemBytes}).");
        }

        if (options.Inbox.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Inbox:PollInterval must be positive.");
        }

        switch (options.Outbox.Provider)
        {
            case OutboxProvider.Sqlite when string.IsNullOrWhiteSpace(options.Outbox.Path):
                errors.Add($"{p}:Outbox:Path (the SQLite file) is required for Provider=Sqlite.");
                break;
            case OutboxProvider.Postgres when string.IsNullOrWhiteSpace(options.Outbox.ConnectionString):
                errors.Add($"{p}:Outbox:ConnectionString is required for Provider=Postgres.");
                break;
        }

        if (options.Outbox.LeaseDuration < (options.Fhir.RequestTimeout * 3) + TimeSpan.FromSeconds(10))
        {
            // A lease shorter than one request would let a second instance push an item the first is still pushing.
            errors.Add($"{p}:Outbox:LeaseDuration ({options.Outbox.LeaseDuration}) must be at least three times {p}:Fhir:RequestTimeout ({options.Fhir.RequestTimeout}) plus 10 s: one push (with its retry) must end before its lease does.");
        }

        var d = options.Dispatcher;
        if (d.Concurrency is < 1 or > 64)
        {
            errors.Add($"{p}:Dispatcher:Concurrency must be 1–64 (got {d.Concurrency}).");
        }

        if (d.BatchSize is < 1 or > 1000)
        {
            errors.Add($"{p}:Dispatcher:BatchSize must be 1–1000 (got {d.BatchSize}).");
        }

        if (d.RetryBaseDelay <= TimeSpan.Zero || d.RetryMaxDelay < d.RetryBaseDelay)
        {
            errors.Add($"{p}:Dispatcher:RetryBaseDelay must be positive and not above RetryMaxDelay.");
        }

        if (d.CircuitFailureThreshold < 1 || d.CircuitBreakDuration <= TimeSpan.Zero || d.IdlePollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Dispatcher:CircuitFailureThreshold, CircuitBreakDuration and IdlePollInterval must be positive.");
        }

        if (d.MaxAttempts < 1)
        {
            errors.Add($"{p}:Dispatcher:MaxAttempts must be at least 1 (got {d.MaxAttempts}).");
        }

        if (d.MaxItemAge <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Dispatcher:MaxItemAge must be positive when set (got {d.MaxItemAge}).");
        }

        if (options.Outbox.RetainDelivered < TimeSpan.Zero || options.Outbox.RetentionInterval <= TimeSpan.Zero)
        {
            errors.Add($"{p}:Outbox:RetainDelivered must not be negative and RetentionInterval must be positive.");
        }

        if (options.Audit.PushInterval <= TimeSpan.Zero || options.Audit.PushBatchSize is < 1 or > 1000)
        {
            errors.Add($"{p}:Audit:PushInterval must be positive and PushBatchSize 1–1000 (got {options.Audit.PushBatchSize}).");
        }

        IntakeOptionsRules.Validate(options.Intake, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
