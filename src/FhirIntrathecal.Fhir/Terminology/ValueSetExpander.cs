using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Terminology;

/// <summary>
/// Expands ValueSets from local CodeSystems: compose include/exclude, concept lists, filters (is-a, descendent-of, =,
/// in, is-not-a) and nested ValueSets. Results and CodeSystem indexes are cached; safe for concurrent use.
/// </summary>
public sealed class ValueSetExpander
{
    /// <summary>Systems that are never enumerated here; whether a code belongs is decided elsewhere (UCUM) or not at all.</summary>
    internal static readonly HashSet<string> NonEnumerable = new(StringComparer.Ordinal)
    {
        "http://unitsofmeasure.org", "http://snomed.info/sct", "http://loinc.org", "http://www.nlm.nih.gov/research/umls/rxnorm",
        "urn:ietf:bcp:47", "urn:ietf:bcp:13", "urn:iso:std:iso:3166", "urn:iso:std:iso:4217", "http://hl7.org/fhir/sid/icd-10",
        "http://hl7.org/fhir/sid/ndc", "http://hl7.org/fhir/sid/cvx", "http://www.ama-assn.org/go/cpt", "http://dicom.nema.org/resources/ontology/DCM",
    };

    private readonly ICanonicalResolver _resolver;
    private readonly ConcurrentDictionary<string, Lazy<ValueSetExpansion?>> _expansions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<CodeSystemIndex?>> _codeSystems = new(StringComparer.Ordinal);

    public ValueSetExpander(ICanonicalResolver resolver) => _resolver = resolver;

    /// <summary>The expansion of a ValueSet by canonical, or null when the ValueSet is unknown.</summary>
    public ValueSetExpansion? Expand(string valueSetCanonical) =>
        _expansions.GetOrAdd(valueSetCanonical, url => new Lazy<ValueSetExpansion?>(() => ExpandNew(url, []))).Value;

    internal CodeSystemIndex? GetCodeSystem(string system) =>
        _codeSystems.GetOrAdd(system, s => new Lazy<CodeSystemIndex?>(() =>
            _resolver.ResolveCanonical(s) is CodeSystem cs && cs.Content?.Value is "complete" or "fragment" or null ? CodeSystemIndex.Build(cs) : null)).Value;

    private ValueSetExpansion? ExpandNew(string url, HashSet<string> visiting)
    {
        var resource = _resolver.ResolveCanonical(url);
        if (resource is not ValueSet vs)
        {
            // A CodeSystem's implicit ValueSet (CodeSystem.valueSet) is sometimes referenced directly.
            return resource is CodeSystem cs ? ExpandWholeSystem(cs.Url?.Value ?? url) : null;
        }

        if (!visiting.Add(url))
        {
            var cyclic = new ValueSetExpansion();
            cyclic.MarkIncomplete($"ValueSet {url} includes itself");
            return cyclic;
        }

        var result = new ValueSetExpansion();
        if (vs.Compose is null && vs.Expansion is { } pre)
        {
            AddContains(result, pre.Contains);
            return result;
        }

        foreach (var include in vs.Compose?.Include ?? [])
        {
            Merge(result, ExpandSet(include, visiting));
        }

        foreach (var exclude in vs.Compose?.Exclude ?? [])
        {
            var ex = ExpandSet(exclude, visiting);
            foreach (var (system, codes) in ex.Codes)
            {
                if (result.Codes.TryGetValue(system, out var set))
                {
                    set.ExceptWith(codes);
                }
            }
        }

        visiting.Remove(url);
        return result;
    }

    private ValueSetExpansion ExpandWholeSystem(string system)
    {
        var result = new ValueSetExpansion();
        AddSystem(result, system);
        return result;
    }

    private ValueSetExpansion ExpandSet(ValueSet.ConceptSetComponent set, HashSet<string> visiting)
    {
        var result = new ValueSetExpansion();
        var system = set.System?.Value;
        if (system is not null)
        {
            if (set.Concept.Count > 0)
            {
                foreach (var c in set.Concept)
                {
                    if (c.Code?.Value is { } code)
                    {
                        result.Add(system, code);
                    }
                }
            }
            else if (set.Filter.Count > 0)
            {
                ApplyFilters(result, system, set.Filter);
            }
            else
            {
                AddSystem(result, system);
            }
        }

        // Nested ValueSets intersect with each other and with the system part (ValueSet.compose.include.valueSet).
        foreach (var nested in set.ValueSet)
        {
            if (nested.Value is not { } nestedUrl)
            {
                continue;
            }

            var inner = visiting.Contains(nestedUrl) ? null : ExpandNew(nestedUrl, visiting);
            if (inner is null)
            {
                result.MarkIncomplete($"ValueSet {nestedUrl} is not available locally");
                continue;
            }

            if (system is null && ReferenceEquals(nested, set.ValueSet[0]))
            {
                Merge(result, inner);
            }
            else
            {
                Intersect(result, inner);
            }
        }

        return result;
    }

    private void AddSystem(ValueSetExpansion result, string system)
    {
        if (NonEnumerable.Contains(system))
        {
            result.OpenSystems.Add(system);
            return;
        }

        var cs = GetCodeSystem(system);
        if (cs is null)
        {
            result.OpenSystems.Add(system);
            result.MarkIncomplete($"code system {system} is not available locally");
            return;
        }

        foreach (var code in cs.Codes)
        {
            result.Add(system, code);
        }

        if (!cs.IsComplete)
        {
            result.OpenSystems.Add(system);
        }
    }

    private void ApplyFilters(ValueSetExpansion result, string system, List<ValueSet.FilterComponent> filters)
    {
        var cs = NonEnumerable.Contains(system) ? null : GetCodeSystem(system);
        if (cs is null)
        {
            result.OpenSystems.Add(system);
            result.MarkIncomplete($"filter on code system {system}, which is not available locally");
            return;
        }

        IEnumerable<string>? codes = null;
        foreach (var f in filters)
        {
            var property = f.Property?.Value ?? "";
            var value = f.Value?.Value ?? "";
            IEnumerable<string>? matched = f.Op?.Value switch
            {
                "is-a" when property == "concept" => cs.Descendants(value, includeSelf: true),
                "descendent-of" when property == "concept" => cs.Descendants(value, includeSelf: false),
                "is-not-a" when property == "concept" => cs.Codes.Except(cs.Descendants(value, includeSelf: true)),
                "=" when property == "concept" => cs.Contains(value) ? [value] : [],
                "=" => cs.WithProperty(property, value),
                "in" when property == "concept" => value.Split(',', StringSplitOptions.TrimEntries).Where(cs.Contains),
                "in" => value.Split(',', StringSplitOptions.TrimEntries).SelectMany(v => cs.WithProperty(property, v)),
                _ => null,
            };
            if (matched is null)
            {
                result.OpenSystems.Add(system);
                result.MarkIncomplete($"filter {property} {f.Op?.Value} {value} is not supported locally");
                return;
            }

            codes = codes is null ? matched.ToList() : codes.Intersect(matched).ToList();
        }

        foreach (var code in codes ?? [])
        {
            result.Add(system, code);
        }
    }

    private static void AddContains(ValueSetExpansion result, List<ValueSet.ContainsComponent> contains)
    {
        foreach (var c in contains)
        {
            if (c.System?.Value is { } s && c.Code?.Value is { } code)
            {
                result.Add(s, code);
            }

            AddContains(result, c.Contains);
        }
    }

    private static void Merge(ValueSetExpansion into, ValueSetExpansion from)
    {
        foreach (var (system, codes) in from.Codes)
        {
            foreach (var code in codes)
            {
                into.Add(system, code);
            }
        }

        into.OpenSystems.UnionWith(from.OpenSystems);
        if (from.IsIncomplete)
        {
            into.MarkIncomplete(from.IncompleteReason ?? "incomplete");
        }
    }

    private static void Intersect(ValueSetExpansion into, ValueSetExpansion with)
    {
        foreach (var (system, codes) in into.Codes)
        {
            if (!with.OpenSystems.Contains(system))
            {
                codes.IntersectWith(with.Codes.GetValueOrDefault(system) ?? []);
            }
        }

        if (with.IsIncomplete)
        {
            into.MarkIncomplete(with.IncompleteReason ?? "incomplete");
        }
    }
}
