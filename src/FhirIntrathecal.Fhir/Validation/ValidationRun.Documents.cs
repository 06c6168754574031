using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Documents and messages are graphs: "the document bundle SHALL include ... all resources referenced by the
/// Composition" and "every resource in the Bundle SHALL be reachable by following references from the Composition
/// (or MessageHeader)" (R4 documents.html, messaging.html). As the reference validator does: the Composition's (or
/// MessageHeader's) references must resolve by the Bundle rules (<see cref="BundleLinks"/>), every entry is reached by
/// following links forwards (backwards too, with a warning: only Provenance should be linked that way), and a
/// document's stylesheet links resolve to an entry.
/// </summary>
internal sealed partial class ValidationRun
{
    private const string BundleProfile = FhirValidator.CoreProfilePrefix + "Bundle";

    /// <summary>One reference found in an entry: its value, the element holding it, and where it is.</summary>
    private readonly record struct EntryLink(string Reference, object Source, string Path);

    private void ValidateDocumentOrMessage(Bundle bundle, string path)
    {
        var type = bundle.Type?.Value;
        ValidateBundleLinks(bundle, path, type);
        if (type is not ("document" or "message") || bundle.Entry.Count == 0)
        {
            return;
        }

        var links = new BundleLinks(bundle);
        var reported = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var first = bundle.Entry[0];
        var fullUrl = first.FullUrl?.Value;
        var at = path + ".entry[0].resource";
        if (first.Resource is Composition composition && type == "document")
        {
            void One(Reference? r, string name, string p) => ResolveLink(links, r, name, fullUrl, "Composition", composition.Id, p, reported, false);
            One(composition.Subject, "Composition.subject", at + ".subject");
            Each(composition.Author, "Composition.author", at + ".author", One);
            One(composition.Encounter, "Composition.encounter", at + ".encounter");
            One(composition.Custodian, "Composition.custodian", at + ".custodian");
            for (var i = 0; i < composition.Attester.Count; i++)
            {
                One(composition.Attester[i].Party, "Composition.attester.party", $"{at}.attester[{i}].party");
            }

            for (var i = 0; i < composition.Event.Count; i++)
            {
                Each(composition.Event[i].Detail, "Composition.event.detail", $"{at}.event[{i}].detail", One);
            }

            ResolveSections(composition.Section, at, One);
        }
        else if (first.Resource is MessageHeader header && type == "message")
        {
            for (var i = 0; i < header.Focus.Count; i++)
            {
                ResolveLink(links, header.Focus[i], "MessageHeader Data", fullUrl, "MessageHeader", header.Id, $"{at}.focus[{i}]", reported, false);
            }
        }
        else if (type == "message" || first.Resource is null)
        {
            return; // bdl-11/bdl-12 already report the wrong first entry of a message; a document is still checked for orphans.
        }

        CheckAllInterlinked(bundle, links, path, reported, isMessage: type == "message");
    }

    private static void Each(List<Reference> list, string name, string path, Action<Reference?, string, string> one)
    {
        for (var i = 0; i < list.Count; i++)
        {
            one(list[i], name, $"{path}[{i}]");
        }
    }

    private static void ResolveSections(List<Composition.SectionComponent> sections, string path, Action<Reference?, string, string> one)
    {
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            var at = $"{path}.section[{i}]";
            Each(section.Author, "Section.author", at + ".author", one);
            one(section.Focus, "Section.focus", at + ".focus");
            Each(section.Entry, "Section Entry", at + ".entry", one);
            ResolveSections(section.Section, at, one);
        }
    }

    /// <summary>Resolves one link and reports why it failed, once per element; the entry index, or -1.</summary>
    private int ResolveLink(BundleLinks links, object? source, string name, string? fromFullUrl, string fromType, string? fromId, string path,
        HashSet<object> reported, bool isWarning, string? value = null)
    {
        value ??= (source as Reference)?.Reference_?.Value;
        if (source is null || value is null || value.StartsWith('#'))
        {
            return -1;
        }

        var resolution = links.Resolve(value, fromFullUrl, fromType, fromId, url => Validator.Resolver.ResolveCanonical(url) is not null);
        if (resolution.Problem == LinkProblem.None || !reported.Add(source))
        {
            return resolution.Entry;
        }

        var previous = _current;
        _current = source;
        switch (resolution.Problem)
        {
            case LinkProblem.NotFound:
                Report(isWarning ? IssueSeverity.Information : IssueSeverity.Error, IssueTypes.NotFound, MessageIds.BundleLinkNotFound,
                    $"Can't find '{value}' in the bundle ({name}).", path, null, BundleProfile);
                break;
            case LinkProblem.Multiple:
                Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.BundleLinkMultiple,
                    $"Found {resolution.Count} matches for '{value}' in the bundle ({name}).", path, null, BundleProfile);
                break;
            case LinkProblem.FullUrlRules:
                Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.BundleLinkFullUrlRules,
                    $"Can't find '{value}' in the bundle ({name}). Note that {(resolution.Count == 1 ? "there is a resource" : $"there are {resolution.Count} resources")} in the bundle with the same type and id, but {(resolution.Count == 1 ? "it does" : "they do")} not match because of the fullUrl based rules around matching relative references (found: {string.Join(", ", resolution.Candidates)}; referring entry: '{fromFullUrl}').",
                    path, null, BundleProfile);
                break;
        }

        _current = previous;
        return -1;
    }

    /// <summary>Every entry must be reachable from the first (Composition or MessageHeader) by following links forwards, or backwards with a warning.</summary>
    private void CheckAllInterlinked(Bundle bundle, BundleLinks links, string path, HashSet<object> reported, bool isMessage)
    {
        var entries = Enumerable.Range(0, bundle.Entry.Count).Where(i => bundle.Entry[i].Resource is not null).ToList();
        var targets = entries.ToDictionary(i => i, _ => new List<int>());
        foreach (var i in entries)
        {
            var entry = bundle.Entry[i];
            var resource = entry.Resource!;
            var found = new List<EntryLink>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            FindLinks(entry, $"{path}.entry[{i}]", found, seen);
            foreach (var link in found)
            {
                var t = ResolveLink(links, link.Source, link.Path, entry.FullUrl?.Value, resource.TypeInfo.Name, resource.Id, link.Path, reported, true, link.Reference);
                if (t >= 0 && t != i && targets.ContainsKey(t))
                {
                    targets[i].Add(t);
                }
            }
        }

        var visited = new HashSet<int>();
        if (entries.Count > 0)
        {
            Visit(entries[0], targets, visited);
        }

        foreach (var link in bundle.Link)
        {
            if (link.Relation?.Value == "stylesheet" && link.Url?.Value is { } url
                && entries.FirstOrDefault(i => bundle.Entry[i].Resource is { } r && url == r.TypeInfo.Name + "/" + r.Id, -1) is >= 0 and var styled)
            {
                visited.Add(styled);
            }
        }

        var root = isMessage ? "MessageHeader" : "Composition";
        bool again;
        do
        {
            again = false;
            foreach (var i in entries.Where(i => !visited.Contains(i) && targets[i].Any(visited.Contains)).ToList())
            {
                var entry = bundle.Entry[i];
                if (entry.Resource is not Provenance)
                {
                    ReportAt(entry, isMessage ? IssueSeverity.Information : IssueSeverity.Warning, IssueTypes.Informational, MessageIds.BundleEntryReverse,
                        $"Entry {Quoted(entry)}isn't reachable by traversing forwards from the {root}. Only Provenance is approved to be used this way (R4 section 3.3.1).", $"{path}.entry[{i}]");
                }

                Visit(i, targets, visited);
                again = true;
            }
        }
        while (again);

        foreach (var i in entries.Where(i => !visited.Contains(i)))
        {
            ReportAt(bundle.Entry[i], isMessage ? IssueSeverity.Warning : IssueSeverity.Error, IssueTypes.Informational, MessageIds.BundleEntryOrphan,
                $"Entry {Quoted(bundle.Entry[i])}isn't reachable by traversing links (forward or backward) from the {root}.", $"{path}.entry[{i}]");
        }
    }

    private static string Quoted(Bundle.EntryComponent entry) => entry.FullUrl?.Value is { } u ? $"'{u}' " : "";

    private static void Visit(int start, Dictionary<int, List<int>> targets, HashSet<int> visited)
    {
        var stack = new Stack<int>([start]);
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            if (visited.Add(i))
            {
                foreach (var t in targets[i])
                {
                    stack.Push(t);
                }
            }
        }
    }

    /// <summary>
    /// The links of an entry, as the reference validator collects them: every Reference.reference and every uri/url
    /// value except systems, the entry's fullUrl, Extension.url, message endpoints and Endpoint.address; each value once;
    /// not into a nested Bundle.
    /// </summary>
    private static void FindLinks(Base b, string path, List<EntryLink> into, HashSet<string> seen)
    {
        foreach (var child in b.Children())
        {
            var name = child.Element.Name;
            var childPath = child.ListIndex >= 0 ? $"{path}.{name}[{child.ListIndex}]" : path + "." + name;
            switch (child.Value)
            {
                case Reference { Reference_.Value: { } r } reference when !r.StartsWith('#') && seen.Add(r):
                    into.Add(new EntryLink(r, reference, childPath));
                    break;
                case FhirUri { ObjectValue: string u } uri when uri.TypeInfo.Name is "uri" or "url" && !u.StartsWith('#') && !IsExcludedLink(b, name) && seen.Add(u):
                    into.Add(new EntryLink(u, uri, childPath));
                    break;
            }

            if (child.Value is Base nested and not PrimitiveType and not Bundle)
            {
                FindLinks(nested, childPath, into, seen);
            }
        }
    }

    private static bool IsExcludedLink(Base parent, string name) =>
        name is "system" or "fullUrl"
        || (name == "endpoint" && parent.TypeInfo.Name.StartsWith("MessageHeader", StringComparison.Ordinal))
        || (name == "address" && parent is Endpoint);

    private void ReportAt(Base at, IssueSeverity severity, string type, string id, string message, string path)
    {
        var previous = _current;
        _current = at;
        Report(severity, type, id, message, path, null, BundleProfile);
        _current = previous;
    }

    /// <summary>Bundle.link: paging relations only in searchsets and histories, one <c>self</c>, a document's stylesheets found in the Bundle.</summary>
    private void ValidateBundleLinks(Bundle bundle, string path, string? type)
    {
        var relations = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Link.Count; i++)
        {
            var link = bundle.Link[i];
            var at = $"{path}.link[{i}]";
            var rel = link.Relation?.Value;
            if (rel is null)
            {
                continue;
            }

            var paging = rel is "first" or "previous" or "next" or "last";
            if (paging && type is "document" or "message" or "collection" or "transaction" or "transaction-response" or "batch" or "batch-response" or "subscription-notification")
            {
                ReportAt(link, IssueSeverity.Error, IssueTypes.Invalid, MessageIds.BundleLink, $"The link relation '{rel}' is not allowed in a {type} Bundle (paging links belong to searchsets and histories).", at + ".relation");
            }

            if ((rel == "self" || (paging && type is "searchset" or "history")) && !relations.Add(rel))
            {
                ReportAt(link, IssueSeverity.Error, IssueTypes.Invalid, MessageIds.BundleLink, $"The link relation '{rel}' appears more than once.", at + ".relation");
            }

            if (rel != "stylesheet" || type != "document" || link.Url?.Value is not { } url)
            {
                continue;
            }

            if (!BundleLinks.IsAbsoluteUrl(url))
            {
                if (!bundle.Entry.Any(e => e.Resource is { } r && url == r.TypeInfo.Name + "/" + r.Id))
                {
                    ReportAt(link, IssueSeverity.Error, IssueTypes.NotFound, MessageIds.BundleLink, $"The stylesheet reference '{url}' could not be resolved in this bundle.", at + ".url");
                }
            }
            else if (url != "https://hl7.org/fhir/fhir.css")
            {
                ReportAt(link, IssueSeverity.Warning, IssueTypes.BusinessRule, MessageIds.BundleLinkExternal, "External stylesheets other than https://hl7.org/fhir/fhir.css SHOULD not be used.", at + ".url");
                if (url.StartsWith("http://", StringComparison.Ordinal))
                {
                    ReportAt(link, IssueSeverity.Warning, IssueTypes.Security, MessageIds.BundleLinkExternal, "The stylesheet reference is not secure (http).", at + ".url");
                }
            }
        }
    }
}
