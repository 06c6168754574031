using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Snapshot;

/// <summary>The result of generating a snapshot: the StructureDefinition with its snapshot, and what could not be applied.</summary>
public sealed record SnapshotResult(StructureDefinition StructureDefinition, IReadOnlyList<string> Problems);

/// <summary>
/// Generates a StructureDefinition's snapshot from its differential and its base's snapshot (generated first when the
/// base has none, so any derivation depth works). Safe for concurrent use; generated base snapshots are cached.
/// </summary>
public sealed class SnapshotGenerator
{
    private readonly ICanonicalResolver _resolver;
    private readonly ConcurrentDictionary<string, StructureDefinition?> _generated = new(StringComparer.Ordinal);

    public SnapshotGenerator(ICanonicalResolver resolver) => _resolver = resolver;

    /// <summary>A copy of <paramref name="sd"/> with a snapshot generated from its differential.</summary>
    public StructureDefinition Generate(StructureDefinition sd) => GenerateWithProblems(sd).StructureDefinition;

    public SnapshotResult GenerateWithProblems(StructureDefinition sd) => GenerateCore(sd, []);

    private SnapshotResult GenerateCore(StructureDefinition sd, HashSet<string> visiting)
    {
        ArgumentNullException.ThrowIfNull(sd);
        var result = (StructureDefinition)sd.DeepCopy();
        var problems = new List<string>();
        var baseUrl = sd.BaseDefinition?.Value;
        var baseSd = baseUrl is null ? null : SnapshotOf(baseUrl, visiting);
        var differential = sd.Differential?.Element ?? [];
        if (baseSd?.Snapshot is not { Element.Count: > 0 } baseSnapshot)
        {
            // A root definition (Element, Base) or an unknown base: the differential is all there is.
            if (baseUrl is not null)
            {
                problems.Add($"base definition {baseUrl} is not available");
            }

            result.Snapshot = new StructureDefinition.SnapshotComponent { Element = differential.Select(e => (ElementDefinition)e.DeepCopy()).ToList() };
            return new SnapshotResult(result, problems);
        }

        var elements = baseSnapshot.Element.Select(e => (ElementDefinition)e.DeepCopy()).ToList();
        EnsureIds(elements);
        if (sd.Derivation?.Value == "specialization")
        {
            Rebase(elements, sd.Type?.Value ?? elements[0].Path!.Value!);
        }

        var builder = new SnapshotBuilder(elements, url => SnapshotOf(url, visiting));
        foreach (var diff in differential)
        {
            var id = builder.NormalizeId(diff.Id ?? ElementIds.FromPath(diff.Path?.Value ?? "", diff.SliceName?.Value));
            var index = builder.FindOrCreate(id);
            if (index < 0)
            {
                problems.Add($"differential element {id} does not match the base");
                continue;
            }

            var target = builder.Elements[index];
            var keepId = target.Id;
            var keepPath = target.Path;
            var keepSliceName = target.SliceName;
            ElementMerger.Merge(target, diff, sd.Url?.Value);
            if (id != diff.Id)
            {
                // A renamed choice (valueQuantity) is stored in its R4 snapshot form (value[x]:valueQuantity).
                (target.Id, target.Path, target.SliceName) = (keepId, keepPath, keepSliceName);
            }

            if (builder.InPlaceChoices.TryGetValue(id, out var typeCode))
            {
                target.Type = target.Type.Where(t => string.Equals(t.Code?.Value, typeCode, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            builder.ExpandInlineExtension(index);
        }

        problems.AddRange(builder.Problems.Distinct());
        result.Snapshot = new StructureDefinition.SnapshotComponent { Element = builder.Elements };
        return new SnapshotResult(result, problems);
    }

    /// <summary>The StructureDefinition at a canonical with a snapshot: the published one, or one generated and cached.</summary>
    private StructureDefinition? SnapshotOf(string canonical, HashSet<string> visiting)
    {
        if (_resolver.ResolveCanonical(canonical) is not StructureDefinition sd)
        {
            return null;
        }

        if (sd.Snapshot is { Element.Count: > 0 })
        {
            return sd;
        }

        if (_generated.TryGetValue(canonical, out var cached))
        {
            return cached;
        }

        if (!visiting.Add(canonical))
        {
            return null; // A derivation cycle: give up on this base rather than recurse forever.
        }

        var generated = GenerateCore(sd, visiting).StructureDefinition;
        visiting.Remove(canonical);
        return _generated.GetOrAdd(canonical, generated);
    }

    private static void EnsureIds(List<ElementDefinition> elements)
    {
        foreach (var e in elements)
        {
            e.Id ??= ElementIds.FromPath(e.Path?.Value ?? "", e.SliceName?.Value);
        }
    }

    /// <summary>A specialization renames the root (a logical model or new type built on Element/DomainResource).</summary>
    private static void Rebase(List<ElementDefinition> elements, string type)
    {
        var oldRoot = elements[0].Path!.Value!;
        foreach (var e in elements)
        {
            e.Path = type + e.Path!.Value![oldRoot.Length..];
            e.Id = type + e.Id![oldRoot.Length..];
        }
    }
}
