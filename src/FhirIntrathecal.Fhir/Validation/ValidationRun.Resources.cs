using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>A resource being validated: what %resource/%rootResource are, where <c>#id</c> resolves, and the enclosing Bundle.</summary>
internal sealed record ResourceFrame(Resource Resource, InvariantContext Context, DomainResource? ContainedHost, BundleIndex? Bundle, string? FullUrl);

internal sealed partial class ValidationRun
{
    private Resource? CurrentResource => _frames.Count > 0 ? _frames.Peek().Resource : null;

    private void ValidateResource(Resource resource, string path, IEnumerable<string> profiles, Resource? container)
    {
        var outer = _frames.Count > 0 ? _frames.Peek() : null;
        var isContained = container is DomainResource host && host.Contained.Contains(resource);
        var frame = new ResourceFrame(
            resource,
            new InvariantContext(resource, isContained ? outer!.Context.RootResource ?? container : resource),
            isContained ? outer!.ContainedHost ?? (DomainResource)container! : resource as DomainResource,
            outer?.Bundle,
            isContained ? outer?.FullUrl : outer?.Bundle?.FullUrlOf(resource) ?? outer?.FullUrl);
        _frames.Push(frame);
        var previous = _current;
        _current = resource;
        try
        {
            var type = resource.TypeInfo.Name;
            if (resource.Id is { } id && !PrimitiveRules.IsValidId(id))
            {
                Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.PrimitiveFormat, $"'{id}' is not a valid resource id ([A-Za-z0-9\\-\\.]{{1,64}}).", path + ".id", null, null);
            }

            var core = Validator.GetTypeProfile(type);
            if (core is null)
            {
                Report(IssueSeverity.Error, IssueTypes.NotFound, MessageIds.ProfileUnknown, $"No definition of resource type {type} is available.", path, null, null);
                return;
            }

            if (resource is Bundle bundle)
            {
                _frames.Pop();
                frame = frame with { Bundle = BundleIndex.Build(bundle) };
                _frames.Push(frame);
                ValidateBundleRules(bundle, frame.Bundle!, path);
            }

            ValidateValue(core.Root, resource, path, core, type);
            ValidateResourceRules(resource, path);
            ValidateUniqueElementIds(resource, path);
            if (resource is DomainResource dr && dr.Contained.Count > 0)
            {
                ValidateContainedReferenced(dr, path);
            }

            var declared = Validator.Settings.ValidateDeclaredProfiles ? resource.Meta?.Profile.Select(p => p.Value).OfType<string>() ?? [] : [];
            foreach (var url in profiles.Concat(declared).Distinct(StringComparer.Ordinal))
            {
                ValidateAgainstProfile(resource, path, url, type);
            }
        }
        finally
        {
            _current = previous;
            _frames.Pop();
        }
    }

    /// <summary>Rules of particular resource types that need more than one element (or another resource) to check.</summary>
    private void ValidateResourceRules(Resource resource, string path)
    {
        switch (resource)
        {
            case Questionnaire q:
                ValidateQuestionnaire(q, path);
                break;
            case QuestionnaireResponse qr:
                ValidateQuestionnaireResponse(qr, path);
                break;
            case MeasureReport mr:
                ValidateMeasureReport(mr, path);
                break;
            case SearchParameter sp:
                ValidateSearchParameter(sp, path);
                break;
            case StructureDefinition sd:
                ValidateStructureDefinition(sd, path);
                break;
        }
    }

    private void ValidateAgainstProfile(Resource resource, string path, string url, string type)
    {
        if (url == FhirValidator.CoreProfilePrefix + type)
        {
            return;
        }

        var profile = Validator.GetProfile(url);
        if (profile is null)
        {
            Report(IssueSeverity.Warning, IssueTypes.NotFound, MessageIds.ProfileUnknown,
                $"Profile {url} is not known, so the resource was not checked against it.", path + ".meta.profile", null, null);
            return;
        }

        if (profile.Type != type)
        {
            Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.ProfileWrongType,
                $"Profile {url} constrains {profile.Type}, not {type}.", path, null, url);
            return;
        }

        ValidateValue(profile.Root, resource, path, profile, type);
    }

    /// <summary>
    /// dom-3 natively: each contained resource is referenced from the rest of the resource (or refers to the host with
    /// <c>#</c>). One pass collects every local reference, instead of FHIRPath's descendants() scan per contained resource.
    /// </summary>
    private void ValidateContainedReferenced(DomainResource host, string path)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        CollectLocalReferences(host, referenced, skipContained: true);
        for (var i = 0; i < host.Contained.Count; i++)
        {
            var c = host.Contained[i];
            if (c.Id is { } id && referenced.Contains(id))
            {
                continue;
            }

            var refersToHost = new HashSet<string>(StringComparer.Ordinal);
            CollectLocalReferences(c, refersToHost, skipContained: false);
            if (refersToHost.Contains(""))
            {
                continue;
            }

            // Contained resources may also be referenced from other contained resources.
            var fromSiblings = host.Contained.Where((r, k) => k != i).Any(r =>
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                CollectLocalReferences(r, set, skipContained: false);
                return c.Id is { } cid && set.Contains(cid);
            });
            if (!fromSiblings)
            {
                Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.ContainedNotReferenced,
                    $"Constraint failed: dom-3: contained resource {c.TypeInfo.Name}/{c.Id} is not referenced from the resource or another contained resource, and does not refer to the container.",
                    $"{path}.contained[{i}]", "DomainResource.contained", FhirValidator.CoreProfilePrefix + "DomainResource");
            }
        }
    }

    /// <summary>
    /// Element.id is the "unique id for the element within a resource (for internal references)": a second element with the
    /// same id in one resource (its contained and nested resources being resources of their own) is an error, as the
    /// reference validator reports it ("Duplicate id value"). One pass without paths; paths only when a duplicate exists.
    /// </summary>
    private void ValidateUniqueElementIds(Resource resource, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!HasDuplicateElementId(resource, seen))
        {
            return;
        }

        seen.Clear();
        ReportDuplicateElementIds(resource, path, seen);
    }

    private static bool HasDuplicateElementId(Base b, HashSet<string> seen)
    {
        foreach (var child in b.Children())
        {
            if (child.Value is Base nested and not Resource
                && ((nested is Element { Id: { } id } && !seen.Add(id)) || HasDuplicateElementId(nested, OwnIdScope(b, child.Element) ? [] : seen)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A StructureDefinition's snapshot and differential each list the same ElementDefinition ids by design ("the id is
    /// the same in both"): each is a scope of its own.
    /// </summary>
    private static bool OwnIdScope(Base parent, ElementInfo element) => parent is StructureDefinition && element.Name is "snapshot" or "differential";

    private void ReportDuplicateElementIds(Base b, string path, HashSet<string> seen)
    {
        foreach (var child in b.Children())
        {
            if (child.Value is not Base nested || nested is Resource)
            {
                continue;
            }

            var at = ChildPath(path, child.Element, nested, child.ListIndex);
            if (nested is Element { Id: { } id } && !seen.Add(id))
            {
                var previous = _current;
                _current = nested;
                Report(IssueSeverity.Error, IssueTypes.Duplicate, MessageIds.DuplicateElementId, $"Duplicate id value '{id}'.", at, null, null);
                _current = previous;
            }

            ReportDuplicateElementIds(nested, at, OwnIdScope(b, child.Element) ? [] : seen);
        }
    }

    /// <summary>Collects ids of local references (<c>#id</c>; the empty string for <c>#</c>) in references, canonicals and uris.</summary>
    private static void CollectLocalReferences(Base b, HashSet<string> into, bool skipContained)
    {
        foreach (var child in b.Children())
        {
            if (skipContained && child.Element.Name == "contained" && b is DomainResource)
            {
                continue;
            }

            switch (child.Value)
            {
                case PrimitiveType { ObjectValue: string s } p when s.StartsWith('#') && p is FhirUri or FhirString:
                    into.Add(s[1..]);
                    break;
                case Base nested:
                    CollectLocalReferences(nested, into, false);
                    break;
            }
        }
    }
}
