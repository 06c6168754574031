using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
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
        app.MapPost("/intake/registry", (Delegate)RegistryIntakeAsync);
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
            return Outcome(errors, StatusCodes.Status400BadRequest);
        }

        var added = await store.EnqueueAsync(items, time.GetUtcNow(), ct).ConfigureAwait(false);
        dispatcher?.Wake();
        return Results.Json(new { correlationId, items = items.Count, added, duplicates = items.Count - added }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A registry body → the exchange flow → outbox, all or nothing, like a registry folder in the inbox: registry JSON
    /// (<c>application/json</c>), or the CSV layout as <c>multipart/form-data</c> with the files patients.csv and
    /// administrations.csv. Accepted records are queued; 202 when nothing was refused, else 400 (a record does not parse)
    /// or 422 (rule or profile errors) with every diagnostic in the OperationOutcome; warnings ride along.
    /// </summary>
    private async Task<IResult> RegistryIntakeAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var correlationId = InboxProcessor.NewCorrelationId();
        RegistryReadResult read;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct).ConfigureAwait(false);
            if (form.Files.GetFile(RegistryCsv.PatientsFile) is not { } patients || form.Files.GetFile(RegistryCsv.AdministrationsFile) is not { } administrations)
            {
                return Outcome([new InputError(string.Empty, 0, 0, string.Empty, "REGISTRY_INPUT", $"a multipart registry holds the files {RegistryCsv.PatientsFile} and {RegistryCsv.AdministrationsFile}")], StatusCodes.Status400BadRequest);
            }

            using var p = new StreamReader(patients.OpenReadStream());
            using var a = new StreamReader(administrations.OpenReadStream());
            read = RegistryCsv.Read(p, RegistryCsv.PatientsFile, a, RegistryCsv.AdministrationsFile);
        }
        else
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, ct).ConfigureAwait(false);
            read = RegistryJson.Read(body.GetBuffer().AsMemory(0, (int)body.Length), RegistryJson.FileName);
        }

        var items = new List<NewOutboxItem>();
        var errors = new List<InputError>();
        var warnings = new List<InputError>();
        foreach (var record in registryReader.Map(read, $"intake-{correlationId}", time.GetUtcNow(), correlationId, ct))
        {
            Collect(record, items, errors);
            warnings.AddRange(record.Warnings);
        }

        // As in the inbox: what was accepted is queued, what was refused is reported (the client may post the fixed
        // records again; stable identities make a repeat harmless).
        var added = items.Count == 0 ? 0 : await store.EnqueueAsync(items, time.GetUtcNow(), ct).ConfigureAwait(false);
        dispatcher?.Wake();
        if (errors.Count > 0)
        {
            var queued = new InputError(string.Empty, 0, 0, string.Empty, "REGISTRY_ACCEPTED", $"{items.Count} item(s) from the accepted records were queued ({added} new)");
            return Outcome([.. errors, .. warnings, queued], read.Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity, warnings.Count + 1);
        }

        return Results.Json(
            new { correlationId, patients = read.Registry.Patients.Count, administrations = read.Registry.Administrations.Count, items = items.Count, added, duplicates = items.Count - added, warnings = warnings.Select(w => w.ToString()) },
            Json,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The errors (first 100) as an OperationOutcome: expression = the element or field path, line and column in the HL7 issue-line/issue-col extensions.</summary>
    private static IResult Outcome(List<InputError> errors, int status, int warnings = 0)
    {
        var outcome = new OperationOutcome();
        outcome.Issue.AddRange(errors.Take(100).Select((e, i) =>
        {
            var severity = i >= errors.Count - warnings ? "warning" : "error";
            var issue = new OperationOutcome.IssueComponent { Severity = severity, Code = "invalid", Diagnostics = e.ToString() };
            if (e.Location.Length > 0)
            {
                issue.Expression.Add(e.Location);
            }

            if (e.Line > 0)
            {
                issue.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line", Value = new Integer((int)e.Line) });
            }

            if (e.Column > 0)
            {
                issue.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col", Value = new Integer((int)e.Column) });
            }

            return issue;
        }));
        return Results.Text(FhirJsonSerializer.SerializeToString(outcome), "application/fhir+json", statusCode: status);
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
