using System.Net;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FhirIntrathecal.Service.Dispatch;

/// <summary>Pushes with the project's FHIR REST client and maps its answers and exceptions to <see cref="PushResult"/>s.</summary>
public sealed class FhirClientPushTarget(FhirClient client, ConditionalCreatePolicy conditionalCreate = ConditionalCreatePolicy.Always) : IFhirPushTarget
{
    public async Task<IReadOnlyList<PushResult>> PushEntriesAsync(IReadOnlyList<LeasedItem> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        var batch = new Bundle { Type = "batch" };
        foreach (var item in items)
        {
            batch.Entry.Add(new Bundle.EntryComponent
            {
                Resource = Parse(item),
                Request = new Bundle.RequestComponent { Method = item.Method, Url = item.Url, IfNoneExist = Condition(item) },
            });
        }

        try
        {
            var result = await client.BatchAsync(batch, ct).ConfigureAwait(false);
            return result.Entries.Select(Classify).ToList();
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            return items.Select(_ => failure).ToList();
        }
    }

    public async Task<PushResult> PushTransactionAsync(LeasedItem item, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (Parse(item) is not Bundle bundle)
        {
            return new PushResult(PushResultKind.Permanent, null, null, null, "the outbox payload is not a transaction Bundle");
        }

        try
        {
            var result = await client.TransactionAsync(bundle, ct).ConfigureAwait(false);
            var locations = string.Join('\n', result.Entries.Select(e => e.Location?.ToString() ?? e.Identity?.ToString() ?? string.Empty));
            var status = result.Entries.Any(e => e.Status == 201) ? 201 : 200;
            return new PushResult(PushResultKind.Delivered, status, locations, null, null);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            return failure;
        }
    }

    private string? Condition(LeasedItem item) =>
        conditionalCreate == ConditionalCreatePolicy.OnRetry && item.Attempts <= 1 ? null : item.IfNoneExist;

    private static Resource Parse(LeasedItem item)
    {
        var parsed = FhirJsonParser.Parse(item.Payload, ParserOptions.Lenient);
        return parsed.Value ?? throw new InvalidDataException($"Outbox item {item.Id} holds unreadable JSON: {string.Join("; ", parsed.Issues.Take(3))}");
    }

    private static PushResult Classify(BundleEntryResult entry) =>
        entry.IsSuccess
            ? new PushResult(PushResultKind.Delivered, entry.Status, entry.Location?.ToString() ?? entry.Identity?.ToString(), null, null)
            : IsTransientStatus(entry.Status)
                ? PushResult.Transient($"entry answered {entry.Status}", entry.Status)
                : new PushResult(PushResultKind.Permanent, entry.Status, null, Json(entry.Outcome), $"rejected with {entry.Status}: {Summary(entry.Outcome)}");

    /// <summary>Null for exceptions that are bugs or our own cancellation: those propagate.</summary>
    private static PushResult? Failure(Exception ex) => ex switch
    {
        FhirOperationException { Status: var s } f when s != 0 && !IsTransientStatus((int)s) =>
            new PushResult(PushResultKind.Permanent, (int)s, null, Json(f.Outcome), f.Message),
        FhirOperationException f => PushResult.Transient(f.Message, f.Status == 0 ? null : (int)f.Status),
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException or IOException or FhirFormatException => PushResult.Transient($"{ex.GetType().Name}: {ex.Message}"),
        TaskCanceledException when ex.InnerException is TimeoutException => PushResult.Transient("request timed out"),
        _ => null,
    };

    /// <summary>401/403 count as transient: a credentials problem must not send every item to dead-letter.</summary>
    private static bool IsTransientStatus(int status) =>
        status is 0 or 408 or 429 or 401 or 403 or >= 500;

    private static string Summary(OperationOutcome? outcome) =>
        outcome is null ? "no OperationOutcome" : string.Join("; ", outcome.Issue.Take(3).Select(i => i.Diagnostics?.Value is { } d && !d.StartsWith('{') ? d : i.Details?.Text?.Value ?? i.Code?.Value));

    private static string? Json(OperationOutcome? outcome) => outcome is null ? null : FhirJsonSerializer.SerializeToString(outcome);

    internal static HttpStatusCode? StatusOf(Exception ex) => (ex as FhirOperationException)?.Status;
}
