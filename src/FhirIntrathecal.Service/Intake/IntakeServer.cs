using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
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
/// nothing queued when any record fails); <c>GET /health</c> answers the <see cref="HealthReport"/>.
/// </summary>
public sealed partial class IntakeServer(
    IntakeOptions options,
    IOutboxStore store,
    FhirFileReader reader,
    DispatcherStatus? status,
    Dispatcher? dispatcher,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private WebApplication? _app;

    public Uri? ListeningOn { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // The adapter's host owns Ctrl+C/SIGTERM and the start/stop messages; this inner app must not.
        builder.Services.AddSingleton<IHostLifetime, InnerLifetime>();
        builder.WebHost.UseUrls(options.Url.GetLeftPart(UriPartial.Authority));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        var app = builder.Build();
        app.MapGet("/health", async (CancellationToken ct) =>
            Results.Json(await HealthReport.BuildAsync(store, status, time, ct).ConfigureAwait(false), Json));
        app.MapPost("/intake/fhir", (Delegate)IntakeAsync);
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
    }

    private async Task<IResult> IntakeAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var correlationId = InboxProcessor.NewCorrelationId();
        var name = $"intake:{correlationId}";
        var items = new List<NewOutboxItem>();
        var errors = new List<InputError>();
        var media = http.Request.ContentType ?? string.Empty;
        if (media.Contains("ndjson", StringComparison.OrdinalIgnoreCase))
        {
            await foreach (var line in Ndjson.ReadAsync(http.Request.Body, ParserOptions.Strict, ct).ConfigureAwait(false))
            {
                Collect(reader.FromParse(line.Result, name, line.LineNumber, correlationId), items, errors);
            }
        }
        else
        {
            var parsed = await FhirJsonParser.ParseAsync(http.Request.Body, ParserOptions.Strict, ct).ConfigureAwait(false);
            Collect(reader.FromParse(parsed, name, 0, correlationId), items, errors);
        }

        if (errors.Count > 0)
        {
            var outcome = new OperationOutcome();
            outcome.Issue.AddRange(errors.Take(100).Select(e => new OperationOutcome.IssueComponent
            {
                Severity = "error",
                Code = "invalid",
                Diagnostics = e.ToString(),
            }));
            return Results.Text(FhirJsonSerializer.SerializeToString(outcome), "application/fhir+json", statusCode: StatusCodes.Status400BadRequest);
        }

        var added = await store.EnqueueAsync(items, time.GetUtcNow(), ct).ConfigureAwait(false);
        dispatcher?.Wake();
        return Results.Json(new { correlationId, items = items.Count, added, duplicates = items.Count - added }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    private static void Collect(InputRecord record, List<NewOutboxItem> items, List<InputError> errors)
    {
        items.AddRange(record.Items);
        errors.AddRange(record.Errors);
    }

    private sealed class InnerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake and health endpoint on {Url}")]
    private static partial void LogListening(ILogger logger, Uri url);
}
