using System.Globalization;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest.Transfer;

/// <summary>One transaction to send, and where it came from (for progress and the park file's name).</summary>
public sealed record PushUnit(string Source, Bundle Bundle);

/// <summary>
/// Turns resources into transactions: a transaction/batch Bundle goes as it is; a collection, a searchset or loose
/// resources become transactions of at most <c>batchSize</c> entries in idempotent form (see <see cref="IdempotentEntry"/>).
/// Reading and checking input files is the caller's job (the application's exchange layer parses strictly and validates).
/// </summary>
public static class PushInputs
{
    public static IEnumerable<PushUnit> FromResource(string source, Resource resource, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource is Bundle { Type.Value: "transaction" or "batch" } ready)
        {
            return [new PushUnit(source, ready)];
        }

        var resources = resource is Bundle other ? other.Entry.Select(e => e.Resource).OfType<Resource>().ToList() : [resource];
        return resources.Chunk(batchSize).Select((chunk, i) => new PushUnit(
            resources.Count > batchSize ? $"{source}#{(i + 1).ToString(CultureInfo.InvariantCulture)}" : source, Transaction(chunk)));
    }

    /// <summary>Bundles from code (the registry mapping), named source#1, source#2...</summary>
    public static IEnumerable<PushUnit> FromBundles(string source, IEnumerable<Bundle> bundles) =>
        (bundles ?? throw new ArgumentNullException(nameof(bundles))).Select((b, i) => new PushUnit($"{source}#{(i + 1).ToString(CultureInfo.InvariantCulture)}", b));

    public static Bundle Transaction(IEnumerable<Resource> resources)
    {
        var bundle = new Bundle { Type = "transaction" };
        bundle.Entry.AddRange(resources.Select(IdempotentEntry));
        return bundle;
    }

    /// <summary>
    /// The entry that can be sent again without duplicating: PUT [type]/[id] when the resource has an id (keeps
    /// references between files intact), else a conditional create on its first system|value identifier, else a
    /// plain POST (the one non-idempotent case: the whole transaction is then never retried, only parked on failure).
    /// </summary>
    public static Bundle.EntryComponent IdempotentEntry(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var type = resource.TypeInfo.Name;
        if (!string.IsNullOrEmpty(resource.Id))
        {
            return new Bundle.EntryComponent
            {
                FullUrl = $"{type}/{resource.Id}",
                Resource = resource,
                Request = new Bundle.RequestComponent { Method = "PUT", Url = $"{type}/{resource.Id}" },
            };
        }

        var identifier = FirstIdentifier(resource);
        return new Bundle.EntryComponent
        {
            FullUrl = TransactionBuilder.NewFullUrl(),
            Resource = resource,
            Request = new Bundle.RequestComponent
            {
                Method = "POST",
                Url = type,
                IfNoneExist = identifier is null ? null : SearchParameters.Empty.Identifier(identifier.System?.Value, identifier.Value!.Value!).ToConditionString(),
            },
        };
    }

    private static Identifier? FirstIdentifier(Resource resource)
    {
        var element = resource.TypeInfo.GetElement("identifier");
        var value = element is null ? null : resource.GetValue(element);
        var candidates = value switch
        {
            Identifier single => [single],
            IEnumerable<Identifier> list => list,
            _ => [],
        };
        return candidates.FirstOrDefault(i => !string.IsNullOrEmpty(i.System?.Value) && !string.IsNullOrEmpty(i.Value?.Value));
    }

    /// <summary>R4 types among ours whose search parameters have no <c>identifier</c>: a conditional create on one never matches.</summary>
    private static readonly HashSet<string> NoIdentifierSearch = new(StringComparer.Ordinal) { "AdverseEvent", "Provenance" };

    /// <summary>
    /// Makes a transaction safe to repeat by turning each create that cannot deduplicate itself into
    /// PUT [type]/[uuid] (update-as-create) when its fullUrl is a stable urn:uuid: an unconditional create, a
    /// conditional create on a type that has no identifier search in R4 (the server ignores or rejects the
    /// condition), or one whose resource does not carry the identifier it is conditional on (it never matches).
    /// The mapping's fullUrls are stable per import, so a repeat upserts instead of duplicating. Needs a server
    /// that accepts client ids. Returns the bundle, changed in place.
    /// </summary>
    public static Bundle UpsertUnconditionalCreates(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        foreach (var entry in bundle.Entry)
        {
            if (entry.Request is { Method.Value: "POST" } request && entry.Resource is { } resource &&
                entry.FullUrl?.Value is { } fullUrl && fullUrl.StartsWith("urn:uuid:", StringComparison.Ordinal) &&
                !CanDeduplicate(resource, request.IfNoneExist?.Value))
            {
                var id = fullUrl["urn:uuid:".Length..];
                resource.Id = id;
                request.Method = "PUT";
                request.Url = $"{resource.TypeInfo.Name}/{id}";
                request.IfNoneExist = null;
            }
        }

        return bundle;
    }

    /// <summary>Whether a conditional create's condition can match the resource it creates.</summary>
    private static bool CanDeduplicate(Resource resource, string? ifNoneExist)
    {
        if (string.IsNullOrEmpty(ifNoneExist) || NoIdentifierSearch.Contains(resource.TypeInfo.Name))
        {
            return false;
        }

        if (!ifNoneExist.StartsWith("identifier=", StringComparison.Ordinal) || ifNoneExist.Contains('&', StringComparison.Ordinal))
        {
            // Some other condition: trust the caller.
            return true;
        }

        var token = Uri.UnescapeDataString(ifNoneExist["identifier=".Length..]);
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var (system, value) = bar < 0 ? (null, token) : (token[..bar], token[(bar + 1)..]);
        var element = resource.TypeInfo.GetElement("identifier");
        var identifiers = (element is null ? null : resource.GetValue(element)) switch
        {
            Identifier single => [single],
            IEnumerable<Identifier> list => list,
            _ => [],
        };
        return identifiers.Any(i => i.Value?.Value == value && (system is null || i.System?.Value == system));
    }
}
