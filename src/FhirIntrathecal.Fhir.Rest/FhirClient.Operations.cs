using System.Net;
using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest;

public sealed partial class FhirClient
{
    /// <summary>POSTs a transaction; all entries succeed or the server rejects the whole bundle (a typed exception).</summary>
    public Task<BundleResult> TransactionAsync(Bundle transaction, CancellationToken ct = default) =>
        SendBundleAsync(transaction, "transaction", ct);

    public Task<BundleResult> TransactionAsync(TransactionBuilder builder, CancellationToken ct = default) =>
        SendBundleAsync(builder?.Build() ?? throw new ArgumentNullException(nameof(builder)), builder.Kind == BundleKind.Batch ? "batch" : "transaction", ct);

    /// <summary>POSTs a batch; each entry succeeds or fails on its own, see <see cref="BundleResult.Failures"/>.</summary>
    public Task<BundleResult> BatchAsync(Bundle batch, CancellationToken ct = default) =>
        SendBundleAsync(batch, "batch", ct);

    private async Task<BundleResult> SendBundleAsync(Bundle bundle, string kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Type?.Value != kind)
        {
            throw new ArgumentException($"Bundle.type is '{bundle.Type?.Value}', expected '{kind}'.", nameof(bundle));
        }

        var request = NewRequest(HttpMethod.Post, string.Empty);
        request.Content = FhirMediaType.Content(bundle, Settings.Format);
        request.Options.Set(FhirRequestOptions.SafeToRetry, BundleResult.IsSafeToRepeat(bundle));
        AddPrefer(request);
        var response = await ExecuteAsync<Bundle>(request, ct).ConfigureAwait(false);
        var answer = response.Resource ?? throw new FhirFormatException($"The {kind} answer has no Bundle.");
        return BundleResult.Map(bundle, answer);
    }

    /// <summary>
    /// [type]/$validate (or [type]/[id]/$validate). Returns the OperationOutcome whether the content is valid or not:
    /// servers answer failures with 200, 400 or 422 and the outcome is the answer in each case.
    /// </summary>
    public async Task<OperationOutcome> ValidateAsync(Resource resource, string? profile = null, string? id = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "resource", Resource = resource });
        if (profile is not null)
        {
            parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "profile", Value = new FhirUri(profile) });
        }

        var path = id is null ? $"{resource.TypeInfo.Name}/$validate" : $"{resource.TypeInfo.Name}/{Uri.EscapeDataString(id)}/$validate";
        var request = NewRequest(HttpMethod.Post, path);
        request.Content = FhirMediaType.Content(parameters, Settings.Format);
        request.Options.Set(FhirRequestOptions.SafeToRetry, true);
        try
        {
            var response = await ExecuteAsync<Resource>(request, ct).ConfigureAwait(false);
            return response.Resource as OperationOutcome ?? new OperationOutcome();
        }
        catch (FhirOperationException ex) when (ex.Outcome is not null && ex.Status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            return ex.Outcome;
        }
    }

    /// <summary>Patient/[id]/$everything, all pages.</summary>
    public async IAsyncEnumerable<Resource> EverythingAsync(string patientId, DateTimeOffset? since = null, IEnumerable<string>? types = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var query = SearchParameters.Empty;
        if (since is { } s)
        {
            query = query.Add("_since", FormatInstant(s));
        }

        if (types is not null && string.Join(',', types) is { Length: > 0 } list)
        {
            query = query.Add("_type", list);
        }

        var path = $"Patient/{Uri.EscapeDataString(patientId)}/$everything";
        var first = await ExecuteAsync<Bundle>(NewRequest(HttpMethod.Get, query.Parameters.Count == 0 ? path : $"{path}?{query.ToQueryString()}"), ct).ConfigureAwait(false);
        await foreach (var resource in ResourcesAsync(first.Resource ?? new Bundle(), ct).ConfigureAwait(false))
        {
            yield return resource;
        }
    }

    /// <summary>
    /// Any operation: POST with a Parameters body, or GET when <paramref name="parameters"/> is null.
    /// <paramref name="path"/> is relative to the base (<c>$meta</c>, <c>Patient/1/$everything</c>, ...).
    /// POSTed operations are not retried unless <paramref name="safeToRetry"/> says so: the client cannot know what they change.
    /// </summary>
    public async Task<Resource?> OperationAsync(string path, Parameters? parameters = null, bool safeToRetry = false, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var request = NewRequest(parameters is null ? HttpMethod.Get : HttpMethod.Post, path);
        if (parameters is not null)
        {
            request.Content = FhirMediaType.Content(parameters, Settings.Format);
            request.Options.Set(FhirRequestOptions.SafeToRetry, safeToRetry);
        }

        var response = await ExecuteAsync<Resource>(request, ct).ConfigureAwait(false);
        return response.Resource;
    }
}
