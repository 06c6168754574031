using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// The entries of one Bundle indexed once by fullUrl and by <c>Type/id</c>, so resolving every reference in a
/// 10,000-entry transaction is linear rather than a scan per reference.
/// </summary>
internal sealed partial class BundleIndex
{
    private readonly Dictionary<string, Resource> _byFullUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Resource> _byTypeAndId = new(StringComparer.Ordinal);
    private readonly Dictionary<Resource, string> _fullUrlOf = new(ReferenceEqualityComparer.Instance);

    /// <summary>fullUrls held by more than one entry (different versions of one resource, or duplicates), with their count.</summary>
    private readonly Dictionary<string, int> _shared = new(StringComparer.Ordinal);

    /// <summary>fullUrl (+ versionId) seen twice, with the entry indexes: bdl-7.</summary>
    public List<(int Index, string FullUrl)> Duplicates { get; } = [];

    public static BundleIndex Build(Bundle bundle)
    {
        var index = new BundleIndex();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var fullUrl = entry.FullUrl?.Value;
            if (entry.Resource is not { } resource)
            {
                continue;
            }

            if (fullUrl is not null)
            {
                if (!seen.Add(fullUrl + "|" + resource.Meta?.VersionId?.Value))
                {
                    index.Duplicates.Add((i, fullUrl));
                }

                if (!index._byFullUrl.TryAdd(fullUrl, resource))
                {
                    index._shared[fullUrl] = index._shared.GetValueOrDefault(fullUrl, 1) + 1;
                }

                index._fullUrlOf.TryAdd(resource, fullUrl);
            }

            if (resource.Id is { } id)
            {
                index._byTypeAndId.TryAdd(resource.TypeInfo.Name + "/" + id, resource);
            }
        }

        return index;
    }

    public string? FullUrlOf(Resource resource) => _fullUrlOf.GetValueOrDefault(resource);

    /// <summary>How many entries have <paramref name="fullUrl"/>; 0 for null.</summary>
    public int CountOf(string? fullUrl) =>
        fullUrl is null ? 0 : _shared.TryGetValue(fullUrl, out var n) ? n : _byFullUrl.ContainsKey(fullUrl) ? 1 : 0;

    /// <summary>
    /// The full URL a version-independent reference names when made from the entry with <paramref name="from"/> (R4
    /// bundle.html#references: an absolute reference is itself; a relative one is appended to the base of the referring
    /// fullUrl, <c>urn:uuid:</c> bases taking the id only); null for versioned references and where no rule applies.
    /// </summary>
    public static string? TargetUrl(string reference, string? from)
    {
        if (reference.Contains("/_history/", StringComparison.Ordinal))
        {
            return null;
        }

        if (BundleLinks.IsAbsoluteUrl(reference))
        {
            return reference;
        }

        var parts = reference.Split('/');
        if (from is null || parts.Length != 2)
        {
            return null;
        }

        if (from.StartsWith("urn", StringComparison.Ordinal))
        {
            return from[..(from.LastIndexOf(':') + 1)] + parts[1];
        }

        var segments = from.Split('/');
        return segments.Length < 2 ? null : string.Join('/', segments[..^2]) + "/" + reference;
    }

    /// <summary>Resolves a reference made from the entry whose fullUrl is <paramref name="from"/>; null when not in the Bundle.</summary>
    public Resource? Resolve(string reference, string? from)
    {
        var hist = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var target = hist < 0 ? reference : reference[..hist];
        if (_byFullUrl.TryGetValue(target, out var r))
        {
            return r;
        }

        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("urn:", StringComparison.Ordinal))
        {
            // Absolute: a server base + Type/id may still name an entry whose fullUrl differs only by base.
            var m = RestfulTail().Match(target);
            return m.Success && _byFullUrl.Count == 0 ? _byTypeAndId.GetValueOrDefault(m.Groups[1].Value) : null;
        }

        if (from is not null && RestfulTail().Match(from) is { Success: true } fm)
        {
            var baseUrl = from[..fm.Index];
            if (_byFullUrl.TryGetValue(baseUrl + target, out r))
            {
                return r;
            }
        }

        if (_byTypeAndId.TryGetValue(target, out r))
        {
            return r;
        }

        // As the reference validator does, a relative Type/id also matches the entry whose fullUrl is urn:uuid:id (the
        // caller then checks that the types agree).
        var slash = target.LastIndexOf('/');
        return slash > 0 && slash == target.IndexOf('/', StringComparison.Ordinal) ? _byFullUrl.GetValueOrDefault("urn:uuid:" + target[(slash + 1)..]) : null;
    }

    [GeneratedRegex(@"([A-Z][A-Za-z]+/[A-Za-z0-9\-\.]{1,64})$", RegexOptions.CultureInvariant)]
    internal static partial Regex RestfulTail();
}
