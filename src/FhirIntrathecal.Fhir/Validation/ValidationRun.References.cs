using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

internal sealed partial class ValidationRun
{
    /// <summary>
    /// Bundle rules checked natively (bdl-3, bdl-4, bdl-7, bdl-11, bdl-12 and fullUrl/id agreement): they need the whole
    /// entry list, which the index already walked once.
    /// </summary>
    private void ValidateBundleRules(Bundle bundle, BundleIndex index, string path)
    {
        const string Bdl = FhirValidator.CoreProfilePrefix + "Bundle";
        var type = bundle.Type?.Value;
        foreach (var (i, fullUrl) in index.Duplicates)
        {
            Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.BundleDuplicate,
                $"Constraint failed: bdl-7: FullUrl must be unique in a bundle, or else entries with the same fullUrl must have different meta.versionId ({fullUrl}).",
                $"{path}.entry[{i}]", "Bundle", Bdl);
        }

        var needsRequest = type is "batch" or "transaction" or "history";
        var needsResponse = type is "batch-response" or "transaction-response" or "history";
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var at = $"{path}.entry[{i}]";
            if (needsRequest != (entry.Request is not null))
            {
                Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.BundleRequest, needsRequest
                    ? $"Constraint failed: bdl-3: entry.request is mandatory in a {type} Bundle."
                    : $"Constraint failed: bdl-3: entry.request is not allowed in a {type} Bundle.", at, "Bundle.entry", Bdl);
            }

            if (needsResponse != (entry.Response is not null))
            {
                Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.BundleRequest, needsResponse
                    ? $"Constraint failed: bdl-4: entry.response is mandatory in a {type} Bundle."
                    : $"Constraint failed: bdl-4: entry.response is not allowed in a {type} Bundle.", at, "Bundle.entry", Bdl);
            }

            ValidateFullUrl(entry, at);
        }

        var first = bundle.Entry.Count > 0 ? bundle.Entry[0].Resource : null;
        if (type == "document" && first is not Composition)
        {
            Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.BundleFirstEntry,
                "Constraint failed: bdl-11: A document must have a Composition as the first resource.", path + ".entry[0]", "Bundle", Bdl);
        }

        if (type == "message" && first is not MessageHeader)
        {
            Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.BundleFirstEntry,
                "Constraint failed: bdl-12: A message must have a MessageHeader as the first resource.", path + ".entry[0]", "Bundle", Bdl);
        }

        ValidateDocumentOrMessage(bundle, path);
    }

    /// <summary>
    /// "fullUrl SHALL NOT disagree with the id in the resource": a fullUrl is absolute, and a RESTful one (base/Type/id, as
    /// the reference validator recognises them) ends with the resource's own Type/id, so the resource needs an id.
    /// </summary>
    private void ValidateFullUrl(Bundle.EntryComponent entry, string at)
    {
        if (entry.FullUrl?.Value is not { } fullUrl)
        {
            return;
        }

        var type = entry.Resource?.TypeInfo.Name;
        var id = entry.Resource?.Id;
        string? problem = null;
        if (!BundleLinks.IsAbsoluteUrl(fullUrl))
        {
            problem = $"The fullUrl '{fullUrl}' must be an absolute URL.";
        }
        else if (type is not null && BundleLinks.IsRestfulUrl(fullUrl))
        {
            problem = id is null ? $"The fullUrl '{fullUrl}' looks like a RESTful server URL, but the resource has no id."
                : !fullUrl.EndsWith("/" + type + "/" + id, StringComparison.Ordinal) ? $"fullUrl {fullUrl} does not match the resource {type}/{id}."
                : null;
        }

        if (problem is not null)
        {
            Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.BundleFullUrl, problem, at + ".fullUrl", "Bundle.entry.fullUrl", FhirValidator.CoreProfilePrefix + "Bundle");
        }
    }

    /// <summary>Local (<c>#id</c>) references must resolve; Bundle-internal ones are resolved via the index; the target type is checked.</summary>
    private void ValidateReference(Reference r, TypeRef? typeRef, in Scope scope)
    {
        var reference = r.Reference_?.Value;
        string? targetType = null;
        Resource? local = null;
        if (reference is not null)
        {
            var frame = _frames.Count > 0 ? _frames.Peek() : null;
            if (reference.StartsWith('#'))
            {
                var id = reference[1..];
                var host = frame?.ContainedHost;
                var target = id.Length == 0 ? host : host?.Contained.FirstOrDefault(c => c.Id == id);
                if (target is null)
                {
                    scope.Report(IssueSeverity.Error, IssueTypes.NotFound, MessageIds.ReferenceNotResolved,
                        $"The local reference {reference} does not resolve to a contained resource.", scope.Path + ".reference");
                    return;
                }

                targetType = target.TypeInfo.Name;
                local = target;
            }
            else
            {
                var resolved = frame?.Bundle?.Resolve(reference, frame.FullUrl);
                if (resolved is null && frame?.Bundle is not null && reference.StartsWith("urn:", StringComparison.Ordinal))
                {
                    scope.Report(IssueSeverity.Error, IssueTypes.NotFound, MessageIds.ReferenceNotResolved,
                        $"{reference} is not the fullUrl of any entry of the Bundle.", scope.Path + ".reference");
                }

                if (frame?.Bundle is { } bundleIndex && bundleIndex.CountOf(BundleIndex.TargetUrl(reference, frame.FullUrl)) > 1)
                {
                    scope.Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.BundleReferenceMultiple,
                        $"Multiple matches in bundle for reference {reference}.", scope.Path);
                }

                var statedType = TypeFromReference(reference);
                if (resolved is not null && statedType is not null && resolved.TypeInfo.Name != statedType)
                {
                    scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ReferenceTargetMismatch,
                        $"Matching reference for reference {reference} has resourceType {resolved.TypeInfo.Name}.", scope.Path);
                }

                targetType = resolved?.TypeInfo.Name ?? statedType;
                local = resolved;
            }
        }

        targetType ??= r.Type?.Value;
        if (targetType is null || typeRef is null || typeRef.TargetProfiles.Count == 0)
        {
            return;
        }

        var allowed = new List<string>();
        foreach (var tp in typeRef.TargetProfiles)
        {
            var t = tp.StartsWith(FhirValidator.CoreProfilePrefix, StringComparison.Ordinal) && ModelInfo.GetTypeInfo(tp[FhirValidator.CoreProfilePrefix.Length..]) is { IsResource: true }
                ? tp[FhirValidator.CoreProfilePrefix.Length..]
                : Validator.GetProfile(tp)?.Type;
            if (t is null || t == targetType || t is "Resource" or "DomainResource")
            {
                if (local is not null && local.TypeInfo.Name == targetType)
                {
                    CheckTargetProfiles(reference!, local, typeRef, scope);
                }

                return;
            }

            allowed.Add(t);
        }

        scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ReferenceType,
            $"The reference points to a {targetType}, but only {string.Join(", ", allowed)} {(allowed.Count == 1 ? "is" : "are")} allowed here.", scope.Path);
    }

    private static string? TypeFromReference(string reference)
    {
        var m = ReferencePattern().Match(reference);
        return m.Success && ModelInfo.GetResourceType(m.Groups[1].Value) is not null ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-\.]{1,64}(?:/_history/[A-Za-z0-9\-\.]{1,64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
