using System.Data.Common;
using System.Text.Json;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Fhir.Rest.Conformance;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Service.Dispatch;
using FhirIntrathecal.Service.Health;
using FhirIntrathecal.Service.Ingest;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Service.Intake;

/// <summary>
/// The optional local HTTP endpoint (Kestrel, loopback by default): <c>POST /intake/fhir</c> takes a resource, a
/// Bundle or NDJSON and answers 202 once its items are durably in the outbox (400 with an OperationOutcome and
/// nothing queued when any record fails); <c>POST /intake/registry</c> takes a registry JSON (docs/registry-format.md)
/// down the same path as a registry folder in the inbox (400 for records that do not parse, 422 for domain-rule or
/// profile errors, nothing queued in either case); <c>GET /health</c> answers the <see cref="HealthReport"/>.
/// </summary>
public sealed partial class IntakeServer(
    IntakeOptions options,
    IOutboxStore store,
    FhirFileReader reader,
    RegistryFolderReader registryReader,
    DispatcherStatus? status,
    Dispatcher? dispatcher,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    TimeSpan? stalledAfter = null) : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly IntakeAllowList _allowList = new(options.AllowedResourceTypes.Count > 0 ? options.AllowedResourceTypes : FhirIntrathecal.Exchange.Conformance.ExchangeResources.Types);
    private WebApplication? _app;
    private JwksKeySource? _jwks;

    public Uri? ListeningOn { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // The adapter's host owns Ctrl+C/SIGTERM and the start/stop messages; this inner app must not.
        builder.Services.AddSingleton<IHostLifetime, InnerLifetime>();
        IntakeHosting.ConfigureServer(builder, options);
        var authenticated = IntakeAuthentication.IsConfigured(options);
        if (options.Jwt.JwksUrl is { } jwksUrl)
        {
            _jwks = new JwksKeySource(jwksUrl, options.Jwt.JwksRefresh, loggerFactory.CreateLogger<JwksKeySource>());
            await _jwks.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (authenticated)
        {
            IntakeAuthentication.Add(builder.Services, options, _jwks);
        }

        var app = builder.Build();
        IntakeHosting.UsePipeline(app, authenticated);
        var health = app.MapGet("/health", async (CancellationToken ct) =>
            Results.Json(await HealthReport.BuildAsync(store, status, time, ct, stalledAfter).ConfigureAwait(false), Json));
        var fhir = app.MapPost("/intake/fhir", (Delegate)IntakeAsync);
        var registry = app.MapPost("/intake/registry", (Delegate)RegistryIntakeAsync);
        if (authenticated)
        {
            health.RequireAuthorization(IntakeAuthentication.HealthPolicy);
            fhir.RequireAuthorization(IntakeAuthentication.FhirPolicy);
            registry.RequireAuthorization(IntakeAuthentication.RegistryPolicy);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        ListeningOn = options.Url;
        LogListening(loggerFactory.CreateLogger<IntakeServer>(), options.Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        if (_jwks is not null)
        {
            await _jwks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IResult> IntakeAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var correlationId = InboxProcessor.NewCorrelationId();
        var name = $"intake-{correlationId}";
        var items = new List<NewOutboxItem>();
        var errors = new List<Diagnostic>();
        var refused = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        var media = http.Request.ContentType ?? string.Empty;
        var body = name + (media.Contains("ndjson", StringComparison.OrdinalIgnoreCase) ? ".ndjson" : ".json");
        await foreach (var record in reader.Input.ReadAsync(http.Request.Body, body, ct).ConfigureAwait(false))
        {
            if (record.Resource is { } resource && _allowList.Check(resource) is { Count: > 0 } notAllowed)
            {
                refused.AddRange(notAllowed.Select(e => e with { Line = (int)Math.Min(int.MaxValue, record.Line) }));
                continue;
            }

            var input = FhirFileReader.ToInput(record, correlationId);
            Collect(input, items, errors);
            warnings.AddRange(input.Warnings.Take(100 - warnings.Count));
        }

        if (refused.Count > 0)
        {
            // Nothing of a body that asks for a forbidden interaction is queued.
            await AuditAsync(http, false, name, $"refused: {refused.Count} forbidden interaction(s)").ConfigureAwait(false);
            return IntakeErrors.Outcome(refused, StatusCodes.Status403Forbidden);
        }

        object Answer(int added) => new { correlationId, items = items.Count, added, duplicates = items.Count - added, warnings = warnings.Select(w => w.ToString()) };
        if (errors.Count > 0)
        {
            // As in the inbox and push: the accepted records are queued, the refused ones reported (400 when one does
            // not parse, else 422); posting the fixed body again is harmless (content hashes, conditional creates).
            if (items.Count > 0 && await EnqueueAsync(http, items, Answer).ConfigureAwait(false) is var queued && queued is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status202Accepted })
            {
                return queued;
            }

            var status = errors.Any(e => e.Code == DiagnosticCatalog.FhirParse.Code) ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            return IntakeErrors.Outcome([.. errors, .. warnings], status);
        }

        return await EnqueueAsync(http, items, Answer).ConfigureAwait(false);
    }

    /// <summary>
    /// Items into the outbox, all or nothing: 413 when one is over the item cap, 503 (never 202) when the outbox cannot
    /// durably write, 202 with <paramref name="answer"/> once it has.
    /// </summary>
    private async Task<IResult> EnqueueAsync(HttpContext http, List<NewOutboxItem> items, Func<int, object> answer)
    {
        if (items.Any(i => i.Payload.Length > options.MaxItemBytes))
        {
            return IntakeErrors.Result(IntakeErrors.TooLarge, StatusCodes.Status413PayloadTooLarge);
        }

        int added;
        try
        {
            added = await store.EnqueueAsync(items, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException && !http.RequestAborted.IsCancellationRequested)
        {
            LogOutboxUnavailable(loggerFactory.CreateLogger<IntakeServer>(), ex.GetType().Name);
            http.Response.Headers.RetryAfter = "30";
            return IntakeErrors.Result(IntakeErrors.OutboxUnavailable, StatusCodes.Status503ServiceUnavailable);
        }

        dispatcher?.Wake();
        await AuditAsync(http, true, $"{items.Count} item(s), correlation {CorrelationOf(items)}", $"{added} new").ConfigureAwait(false);
        return Results.Json(answer(added), Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A registry body → the exchange flow → outbox, all or nothing, like a registry folder in the inbox: registry JSON
    /// (<c>application/json</c>), or a CSV layout as <c>multipart/form-data</c> with the files patients.csv and
    /// administrations.csv, or the pump tables with implants.csv. Accepted records are queued; 202 when nothing was refused, else 400 (a record does not parse)
    /// or 422 (rule or profile errors) with every diagnostic in the OperationOutcome; warnings ride along.
    /// </summary>
    private async Task<IResult> RegistryIntakeAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var correlationId = InboxProcessor.NewCorrelationId();
        var name = $"intake-{correlationId}";
        var options = new Mapping.Fhir.ExportOptions(name, time.GetUtcNow());
        PreparedRegistry prepared;
        if (http.Request.HasFormContentType)
        {
            // The CSV files as parts named by their file names: the exchange tells the layout (single-shot or pump) from the names.
            var form = await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
            prepared = registryReader.Prepare(
                form.Files.Select(f => f.Name).ToList(),
                file => form.Files.GetFile(file) is { } part ? new StreamReader(part.OpenReadStream()) : null,
                options,
                ct);
            if (prepared.Diagnostics.Any(d => d.Code == DiagnosticCatalog.RegistryInput.Code))
            {
                return IntakeErrors.Outcome([prepared.Diagnostics[0] with { File = string.Empty }], StatusCodes.Status400BadRequest);
            }
        }
        else
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, ct).ConfigureAwait(false);
            prepared = registryReader.Prepare(RegistryJson.Read(body.GetBuffer().AsMemory(0, (int)body.Length), RegistryJson.FileName), options, ct);
        }

        var items = new List<NewOutboxItem>();
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        foreach (var record in registryReader.Map(prepared, name, correlationId))
        {
            Collect(record, items, errors);
            warnings.AddRange(record.Warnings);
        }

        // As in the inbox: what was accepted is queued, what was refused is reported (the client may post the fixed
        // records again; stable identities make a repeat harmless).
        object Answer(int added) => new { correlationId, patients = prepared.Patients.Count, records = prepared.Accepted.Count, refused = prepared.Refused.Count, items = items.Count, added, duplicates = items.Count - added, warnings = warnings.Select(w => w.ToString()) };
        if (errors.Count > 0)
        {
            if (items.Count > 0 && await EnqueueAsync(http, items, Answer).ConfigureAwait(false) is var queued && queued is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status202Accepted })
            {
                return queued;
            }

            return IntakeErrors.Outcome([.. errors, .. warnings], prepared.ReadErrors > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity);
        }

        return await EnqueueAsync(http, items, Answer).ConfigureAwait(false);
    }

    /// <summary>One intake audit entry (who = the authenticated client). An audit store failure is logged, never turned into a different answer.</summary>
    private async Task AuditAsync(HttpContext http, bool success, string what, string detail)
    {
        try
        {
            await store.AppendAuditAsync(
                [AuditTrail.Event(AuditAction.Intake, success, IntakeAuthentication.ClientOf(http.User), status?.InstanceId ?? "intake", time.GetUtcNow(), what, detail)],
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException)
        {
            LogAuditFailed(loggerFactory.CreateLogger<IntakeServer>(), ex.GetType().Name);
        }
    }

    private static string CorrelationOf(List<NewOutboxItem> items) => items.Count > 0 ? items[0].CorrelationId : "-";

    private static void Collect(InputRecord record, List<NewOutboxItem> items, List<Diagnostic> errors)
    {
        items.AddRange(record.Items);
        errors.AddRange(record.Errors);
    }

    private sealed class InnerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox could not durably write ({Error}); the intake answered 503")]
    private static partial void LogOutboxUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "An intake audit entry could not be written ({Error})")]
    private static partial void LogAuditFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake and health endpoint on {Url}")]
    private static partial void LogListening(ILogger logger, Uri url);
}
