using System.Collections;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

internal sealed partial class ValidationRun
{
    /// <summary>
    /// Assigns each repetition to the first slice whose discriminators match, then checks closed/ordered/openAtEnd rules
    /// and per-slice cardinality. Values in a slice are validated against the slice; others against the sliced element.
    /// </summary>
    private void ValidateSlices(ElementNode sliced, IList items, ElementInfo element, string path, CompiledProfile profile, string elementPath)
    {
        var slicing = sliced.Slicing!;
        var counts = new int[slicing.Slices.Count];
        var last = -1;
        var unmatchedSeen = false;
        for (var j = 0; j < items.Count; j++)
        {
            if (items[j] is not { } item)
            {
                continue;
            }

            var itemPath = ChildPath(path, element, item, element.IsList ? j : -1);
            var match = -1;
            for (var s = 0; s < slicing.Slices.Count && match < 0; s++)
            {
                if (SliceMatches(slicing.Slices[s], slicing.Discriminators, item, profile))
                {
                    match = s;
                }
            }

            if (match < 0)
            {
                if (slicing.Rules == "closed")
                {
                    Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.SliceNoMatch,
                        $"This element does not match any known slice of {sliced.Id}, and the slicing is closed.", itemPath, sliced.Id, profile.Url);
                }

                unmatchedSeen = true;
                ValidateValue(sliced, item, itemPath, profile, elementPath);
                continue;
            }

            if ((slicing.Ordered && match < last) || (slicing.Rules == "openAtEnd" && unmatchedSeen))
            {
                Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.SliceOrder,
                    $"This element matches slice '{slicing.Slices[match].SliceName}', which is out of order for {sliced.Id}.", itemPath, sliced.Id, profile.Url);
            }

            last = Math.Max(last, match);
            counts[match]++;
            ValidateValue(slicing.Slices[match], item, itemPath, profile, elementPath);
        }

        for (var s = 0; s < counts.Length; s++)
        {
            var slice = slicing.Slices[s];
            var at = path + "." + element.Name;
            if (counts[s] < slice.Min)
            {
                Report(IssueSeverity.Error, IssueTypes.Required, MessageIds.CardinalityMin,
                    $"Slice '{slice.SliceName}' of {sliced.Id}: minimum required = {slice.Min}, but only found {counts[s]}.", at, slice.Id, profile.Url);
            }

            if (counts[s] > slice.Max)
            {
                Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.CardinalityMax,
                    $"Slice '{slice.SliceName}' of {sliced.Id}: maximum allowed = {slice.Max}, but found {counts[s]}.", at, slice.Id, profile.Url);
            }
        }
    }

    private bool SliceMatches(ElementNode slice, IReadOnlyList<Discriminator> discriminators, object item, CompiledProfile profile)
    {
        if (discriminators.Count == 0)
        {
            return Conforms(slice, item, profile);
        }

        foreach (var d in discriminators)
        {
            var values = DiscriminatorPath.Select(item, d.Path, ResolveLocally);
            var (target, targetProfile) = DiscriminatorPath.FindDefinition(this, slice, profile, d.Path);
            if (target is null)
            {
                // The slice does not constrain the discriminator path: fall back to conformance of the whole value.
                if (!Conforms(slice, item, profile))
                {
                    return false;
                }

                continue;
            }

            var ok = d.Type switch
            {
                "value" or "pattern" => MatchesValue(target, values),
                "exists" => target.Min >= 1 ? values.Count > 0 : target.Max == 0 ? values.Count == 0 : true,
                "type" => values.Count > 0 && values.All(v => ReferenceEquals(target, targetProfile?.Root) && v is Resource res
                    ? res.TypeInfo.Name == targetProfile!.Type
                    : target.Types.Count == 0 || MatchType(target, v) is not null),
                "profile" => values.Count > 0 && values.All(v => ReferenceEquals(target, targetProfile?.Root)
                    ? Conforms(target, v, targetProfile!)
                    : ConformsToTypeProfiles(target, v)),
                _ => Conforms(slice, item, profile),
            };
            if (!ok)
            {
                return false;
            }

        }

        return true;
    }

    /// <summary>A reference's target when it is contained or in the enclosing Bundle (what resolve() can see offline).</summary>
    private Resource? ResolveLocally(Reference r)
    {
        var reference = r.Reference_?.Value;
        var frame = _frames.Count > 0 ? _frames.Peek() : null;
        if (reference is null || frame is null)
        {
            return null;
        }

        if (reference.StartsWith('#'))
        {
            var id = reference[1..];
            return id.Length == 0 ? frame.ContainedHost : frame.ContainedHost?.Contained.FirstOrDefault(c => c.Id == id);
        }

        return frame.Bundle?.Resolve(reference, frame.FullUrl);
    }

    private static bool MatchesValue(ElementNode target, List<object> values)
    {
        var ed = target.Definition;
        if (ed.Fixed is { } f)
        {
            return values.Any(v => ValueMatcher.MatchesFixed(v, f));
        }

        if (ed.Pattern is { } p)
        {
            return values.Any(v => ValueMatcher.MatchesPattern(v, p));
        }

        // No fixed value or pattern at the discriminator: the slice cannot tell values apart by value.
        return false;
    }

    private bool ConformsToTypeProfiles(ElementNode target, object value)
    {
        foreach (var t in target.Types)
        {
            foreach (var url in t.Profiles)
            {
                if (Validator.GetProfile(url) is { } p && Conforms(p.Root, value, p))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Validates into a scratch run: true when the value raises no error against the node.</summary>
    private bool Conforms(ElementNode node, object value, CompiledProfile profile)
    {
        var scratch = new ValidationRun(Validator, null) { _targetChecks = _targetChecks };
        foreach (var f in _frames.Reverse())
        {
            scratch._frames.Push(f);
        }

        scratch.ValidateValue(node, value, "", profile, node.Path);
        return scratch.ErrorCount == 0;
    }
}
