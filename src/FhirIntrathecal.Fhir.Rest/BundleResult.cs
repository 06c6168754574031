using System.Globalization;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>One request entry paired with the server's response entry at the same position.</summary>
public sealed record BundleEntryResult(
    int Index,
    string? FullUrl,
    string Method,
    string Url,
    int Status,
    Uri? Location,
    string? ETag,
    Resource? Resource,
    OperationOutcome? Outcome)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The server's id for this entry (from Location or the returned resource).</summary>
    public ResourceIdentity? Identity => ResourceIdentity.TryParse(Location) ??
        (Resource is { Id: { } id } r ? new ResourceIdentity(r.TypeInfo.Name, id, r.Meta?.VersionId?.Value) : null);
}

/// <summary>A transaction-response or batch-response mapped back onto the request entries.</summary>
public sealed record BundleResult(Bundle Response, IReadOnlyList<BundleEntryResult> Entries)
{
    public bool AllSucceeded => Entries.All(e => e.IsSuccess);

    public IEnumerable<BundleEntryResult> Failures => Entries.Where(e => !e.IsSuccess);

    /// <summary>Pairs entries by position, as R4 requires of transaction and batch responses.</summary>
    internal static BundleResult Map(Bundle request, Bundle response)
    {
        if (response.Entry.Count != request.Entry.Count)
        {
            throw new FhirFormatException(
                $"The {response.Type?.Value} has {response.Entry.Count} entries for {request.Entry.Count} requests; entries cannot be matched.");
        }

        var results = new List<BundleEntryResult>(request.Entry.Count);
        for (var i = 0; i < request.Entry.Count; i++)
        {
            var req = request.Entry[i];
            var res = response.Entry[i];
            results.Add(new BundleEntryResult(
                i,
                req.FullUrl?.Value,
                req.Request?.Method?.Value ?? string.Empty,
                req.Request?.Url?.Value ?? string.Empty,
                ParseStatus(res.Response?.Status?.Value),
                res.Response?.Location?.Value is { Length: > 0 } loc ? new Uri(loc, UriKind.RelativeOrAbsolute) : null,
                res.Response?.Etag?.Value,
                res.Resource,
                res.Response?.Outcome as OperationOutcome));
        }

        return new BundleResult(response, results);
    }

    /// <summary>"201 Created" → 201.</summary>
    internal static int ParseStatus(string? status)
    {
        if (string.IsNullOrEmpty(status))
        {
            return 0;
        }

        var span = status.AsSpan().Trim();
        var end = span.IndexOf(' ');
        return int.TryParse(end < 0 ? span : span[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
    }

    /// <summary>
    /// A transaction/batch may be sent again without harm when no entry can create twice: every POST is a
    /// conditional create, and there is no PATCH (JSON Patch "add" to an array is not idempotent).
    /// </summary>
    public static bool IsSafeToRepeat(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle.Entry.All(e => e.Request?.Method?.Value switch
        {
            "POST" => !string.IsNullOrEmpty(e.Request.IfNoneExist?.Value),
            "PATCH" => false,
            _ => true,
        });
    }
}
