using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Why a reference inside a document or message Bundle did not resolve to one entry.</summary>
internal enum LinkProblem
{
    None,

    /// <summary>No entry has the reference's full URL, and no entry has its Type/id either.</summary>
    NotFound,

    /// <summary>Several entries have the full URL the reference resolves to.</summary>
    Multiple,

    /// <summary>No entry has the full URL, but entries have the reference's Type/id under other fullUrls.</summary>
    FullUrlRules,
}

/// <summary>What a reference resolved to: the entry index (or -1) and, when it failed, why and which fullUrls almost matched.</summary>
internal readonly record struct LinkResolution(int Entry, LinkProblem Problem, int Count, IReadOnlyList<string> Candidates);

/// <summary>
/// The entries of a document or message Bundle indexed for the reference validator's resolution rules ("Resolving
/// references in Bundles", R4 bundle.html#references): an absolute reference is the fullUrl of an entry; a relative
/// <c>Type/id</c> is resolved against the base of the referring entry's fullUrl, and only when that fullUrl is a RESTful
/// URL of the referring resource itself. An entry with the same Type/id under another base does not match (R4 and later).
/// Built only for documents and messages, where every link must resolve (the graph of the document).
/// </summary>
internal sealed partial class BundleLinks
{
    private readonly Dictionary<string, List<int>> _byUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byTypeAndId = new(StringComparer.Ordinal);
    private readonly Bundle _bundle;

    public BundleLinks(Bundle bundle)
    {
        _bundle = bundle;
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var fullUrl = bundle.Entry[i].FullUrl?.Value;
            if (fullUrl is not null)
            {
                Add(_byUrl, fullUrl, i);
            }

            if (bundle.Entry[i].Resource is not { } resource)
            {
                continue;
            }

            var relative = resource.Id is { } id ? resource.TypeInfo.Name + "/" + id : null;
            if (relative is not null)
            {
                Add(_byTypeAndId, relative, i);
            }

            if (resource.Meta?.VersionId?.Value is { Length: > 0 } version)
            {
                if (fullUrl is not null)
                {
                    Add(_byUrl, fullUrl + "/_history/" + version, i);
                }

                if (relative is not null)
                {
                    Add(_byTypeAndId, relative + "/_history/" + version, i);
                }
            }
        }
    }

    /// <summary>Resolves <paramref name="reference"/> made from the entry with <paramref name="fromFullUrl"/> holding a <paramref name="fromType"/>/<paramref name="fromId"/>.</summary>
    public LinkResolution Resolve(string reference, string? fromFullUrl, string fromType, string? fromId, Func<string, bool> isKnownCanonical)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var target = hash >= 0 ? reference[..hash] : reference;
        if (IsAbsoluteUrl(target))
        {
            if (_byUrl.TryGetValue(target, out var hits))
            {
                return hits.Count == 1 ? new(hits[0], LinkProblem.None, 1, []) : new(-1, LinkProblem.Multiple, hits.Count, []);
            }

            // Not in the Bundle: fine when it is a known canonical resource, or the RESTful URL of a canonical resource type.
            var known = isKnownCanonical(target) || (RestfulUrl().Match(target) is { Success: true } m && IsCanonicalType(m.Groups["type"].Value));
            return new(-1, known ? LinkProblem.None : LinkProblem.NotFound, 0, []);
        }

        var suffix = fromType + "/" + fromId;
        if (fromFullUrl is not null && fromId is not null && IsRestfulUrl(fromFullUrl) && fromFullUrl.EndsWith(suffix, StringComparison.Ordinal)
            && _byUrl.TryGetValue(fromFullUrl[..^suffix.Length] + target, out var found))
        {
            return found.Count == 1 ? new(found[0], LinkProblem.None, 1, []) : new(-1, LinkProblem.Multiple, found.Count, []);
        }

        var parts = target.Split('/');
        if (parts.Length < 2 || ModelInfo.GetResourceType(parts[0]) is null)
        {
            return new(-1, LinkProblem.None, 0, []);
        }

        if (_byTypeAndId.TryGetValue(parts[0] + "/" + parts[1], out var apparent))
        {
            var urls = apparent.Select(i => _bundle.Entry[i].FullUrl?.Value ?? "<missing>").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new(-1, LinkProblem.FullUrlRules, apparent.Count, urls);
        }

        return new(-1, LinkProblem.NotFound, 0, []);
    }

    /// <summary>A RESTful resource URL as the reference validator recognises it (server base of letters, digits and <c>\.:%$</c>, then Type/id[/_history/v]).</summary>
    public static bool IsRestfulUrl(string url) => RestfulUrl().Match(url) is { Success: true } m && ModelInfo.GetResourceType(m.Groups["type"].Value) is not null;

    /// <summary>An absolute URI: a lower-case scheme token, a colon, and a non-empty remainder without spaces.</summary>
    public static bool IsAbsoluteUrl(string url) => AbsoluteUrl().IsMatch(url);

    private static bool IsCanonicalType(string type) =>
        ModelInfo.GetTypeInfo(type) is { } ti && ti.Elements.Any(e => e.Name == "url") && ti.Elements.Any(e => e.Name == "version") && ti.Elements.Any(e => e.Name == "status");

    private static void Add(Dictionary<string, List<int>> map, string key, int index)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(index);
    }

    [GeneratedRegex(@"^((http|https)://([A-Za-z0-9\\.:%$]*/)*)?(?<type>[A-Z][A-Za-z]+)/[A-Za-z0-9\-\.]{1,64}(/_history/[A-Za-z0-9\-\.]{1,64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex RestfulUrl();

    [GeneratedRegex(@"^[a-z][a-z0-9+.\-]*:[^ ]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AbsoluteUrl();
}
