using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// Builds a transaction or batch Bundle. The caller controls every fullUrl (urn:uuid:... for new resources, so
/// references between entries resolve), and entries keep their order, which is how responses are mapped back.
/// A builder is single-use scratch state, not shared; the client itself stays stateless.
/// </summary>
public sealed class TransactionBuilder
{
    private readonly List<Bundle.EntryComponent> _entries = [];

    public TransactionBuilder(BundleKind kind = BundleKind.Transaction) => Kind = kind;

    public BundleKind Kind { get; }

    public int Count => _entries.Count;

    /// <summary>A fresh urn:uuid fullUrl for a resource that does not exist yet.</summary>
    public static string NewFullUrl() => "urn:uuid:" + Guid.NewGuid().ToString("D");

    /// <summary>POST; with <paramref name="ifNoneExist"/> a conditional create, which makes the entry safe to repeat.</summary>
    public TransactionBuilder Create(Resource resource, string? fullUrl = null, SearchParameters? ifNoneExist = null) =>
        Create(resource, fullUrl, ifNoneExist?.ToConditionString());

    public TransactionBuilder Create(Resource resource, string? fullUrl, string? ifNoneExist)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Add(fullUrl ?? NewFullUrl(), resource, new Bundle.RequestComponent
        {
            Method = "POST",
            Url = resource.TypeInfo.Name,
            IfNoneExist = string.IsNullOrEmpty(ifNoneExist) ? null : ifNoneExist,
        });
    }

    /// <summary>PUT [type]/[id]; <paramref name="ifMatch"/> is a version id or a full ETag.</summary>
    public TransactionBuilder Update(Resource resource, string? ifMatch = null, string? fullUrl = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException("An update needs the resource's id.", nameof(resource));
        }

        var url = $"{resource.TypeInfo.Name}/{resource.Id}";
        return Add(fullUrl ?? url, resource, new Bundle.RequestComponent
        {
            Method = "PUT",
            Url = url,
            IfMatch = ifMatch is null ? null : FhirClient.ToETag(ifMatch),
        });
    }

    /// <summary>PUT [type]?[search]: update the one match, or create when none matches.</summary>
    public TransactionBuilder ConditionalUpdate(Resource resource, SearchParameters condition, string? fullUrl = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(condition);
        return Add(fullUrl ?? NewFullUrl(), resource, new Bundle.RequestComponent
        {
            Method = "PUT",
            Url = $"{resource.TypeInfo.Name}?{condition.ToConditionString()}",
        });
    }

    public TransactionBuilder Delete(string type, string id) =>
        Add(null, null, new Bundle.RequestComponent { Method = "DELETE", Url = $"{type}/{id}" });

    public TransactionBuilder ConditionalDelete(string type, SearchParameters condition) =>
        Add(null, null, new Bundle.RequestComponent { Method = "DELETE", Url = $"{type}?{condition.ToConditionString()}" });

    public TransactionBuilder Read(string type, string id) =>
        Add(null, null, new Bundle.RequestComponent { Method = "GET", Url = $"{type}/{id}" });

    public TransactionBuilder Search(string type, SearchParameters query) =>
        Add(null, null, new Bundle.RequestComponent { Method = "GET", Url = $"{type}?{query.ToConditionString()}" });

    public Bundle Build()
    {
        var bundle = new Bundle { Type = Kind == BundleKind.Batch ? "batch" : "transaction" };
        // Copies, so building twice or changing the builder afterwards never aliases entries between bundles.
        bundle.Entry.AddRange(_entries.Select(e => (Bundle.EntryComponent)e.DeepCopy()));
        return bundle;
    }

    private TransactionBuilder Add(string? fullUrl, Resource? resource, Bundle.RequestComponent request)
    {
        _entries.Add(new Bundle.EntryComponent { FullUrl = fullUrl, Resource = resource, Request = request });
        return this;
    }
}

public enum BundleKind
{
    Transaction,
    Batch,
}
