using System.Collections;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Snapshot;

/// <summary>
/// Applies one differential element to its snapshot element, slot by slot over the model metadata: a value in the
/// differential replaces the inherited one, except for the additive lists (constraints, conditions, mappings, aliases,
/// codes) which accumulate, and components (slicing, binding, base) which merge element by element.
/// </summary>
internal static class ElementMerger
{
    private static readonly HashSet<string> Additive = new(StringComparer.Ordinal) { "constraint", "condition", "mapping", "alias", "code", "extension" };

    private static readonly HashSet<string> MergedComponents = new(StringComparer.Ordinal) { "slicing", "binding" };

    /// <summary>Never taken from the differential: the snapshot's own identity and its base information.</summary>
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal) { "id", "path", "base" };

    public static void Merge(ElementDefinition target, ElementDefinition diff, string? profileUrl)
    {
        foreach (var element in ElementDefinitionInfo.Elements)
        {
            var value = diff.GetValue(element);
            if (value is null || value is IList { Count: 0 } || Kept.Contains(element.Name))
            {
                continue;
            }

            if (Additive.Contains(element.Name) && value is IList add)
            {
                var existing = target.GetValue(element) as IList;
                var merged = existing is null ? element.Type.CreateList() : existing;
                foreach (var item in add)
                {
                    if (item is Base b && !Contains(merged, b, element.Name))
                    {
                        var copy = b.DeepCopy();
                        if (copy is ElementDefinition.ConstraintComponent c && c.Source is null && profileUrl is not null)
                        {
                            c.Source = profileUrl;
                        }

                        merged.Add(copy);
                    }
                }

                target.SetValue(element, merged);
            }
            else if (MergedComponents.Contains(element.Name) && value is Base component && target.GetValue(element) is Base existingComponent)
            {
                MergeComponent(existingComponent, component);
            }
            else
            {
                target.SetValue(element, value is Base b ? b.DeepCopy() : value is IList list ? CopyList(list, element) : value);
            }
        }
    }

    private static void MergeComponent(Base target, Base diff)
    {
        foreach (var element in diff.TypeInfo.Elements)
        {
            var value = diff.GetValue(element);
            if (value is null || value is IList { Count: 0 })
            {
                continue;
            }

            target.SetValue(element, value is Base b ? b.DeepCopy() : value is IList list ? CopyList(list, element) : value);
        }
    }

    private static IList CopyList(IList list, ElementInfo element)
    {
        var copy = element.Type.CreateList();
        foreach (var item in list)
        {
            copy.Add(item is Base b ? b.DeepCopy() : item);
        }

        return copy;
    }

    /// <summary>Constraints are the same by key; other additive items by value.</summary>
    private static bool Contains(IList list, Base item, string name)
    {
        foreach (var existing in list)
        {
            if (name == "constraint" && existing is ElementDefinition.ConstraintComponent a && item is ElementDefinition.ConstraintComponent b)
            {
                if (a.Key?.Value == b.Key?.Value)
                {
                    return true;
                }
            }
            else if (name == "extension" && existing is Extension ea && item is Extension eb)
            {
                if (ea.Url == eb.Url && ea.IsExactly(eb))
                {
                    return true;
                }
            }
            else if (existing is Base eb2 && eb2.IsExactly(item))
            {
                return true;
            }
        }

        return false;
    }

    private static class ElementDefinitionInfo
    {
        public static readonly IReadOnlyList<ElementInfo> Elements = new ElementDefinition().TypeInfo.Elements;
    }
}
