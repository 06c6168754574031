using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Snapshot;

/// <summary>
/// The snapshot being built: an ordered element list with operations to find an element by id, creating what the
/// differential needs on the way: children expanded from the element's type (or type profile, or contentReference)
/// and slices copied from the sliced element with their descendants.
/// </summary>
internal sealed class SnapshotBuilder
{
    private readonly List<ElementDefinition> _elements;
    private readonly Func<string, StructureDefinition?> _snapshotOf;

    public SnapshotBuilder(List<ElementDefinition> elements, Func<string, StructureDefinition?> snapshotOf)
    {
        _elements = elements;
        _snapshotOf = snapshotOf;
    }

    public List<ElementDefinition> Elements => _elements;

    /// <summary>Problems met while applying the differential (element not found, type not expandable...).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The index of the element with this id, creating slices and expanding parents as needed; -1 when impossible.</summary>
    public int FindOrCreate(string id)
    {
        var index = IndexOf(id);
        if (index >= 0)
        {
            return index;
        }

        if (ElementIds.SlicedId(id, out var sliceName) is { } slicedId)
        {
            var sliced = FindOrCreate(slicedId);
            if (sliced >= 0 && IsSingleNamed(sliced) && ChoiceSliceType(_elements[sliced], sliceName) is null)
            {
                return RenameInPlace(sliced, id, sliceName);
            }

            return sliced < 0 ? -1 : CreateSlice(sliced, id, sliceName);
        }

        if (ElementIds.ParentId(id) is not { } parentId)
        {
            return -1;
        }

        var parent = FindOrCreate(parentId);
        if (parent < 0)
        {
            return -1;
        }

        if (!HasChildren(parent))
        {
            Expand(parent);
        }

        index = IndexOf(id);
        if (index < 0)
        {
            Problems.Add($"{id}: no such element in the base");
        }

        return index;
    }

    /// <summary>Renamed choices inside slices, narrowed in place to one type (id → type code).</summary>
    public Dictionary<string, string> InPlaceChoices { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A "slice" of an element the differential never declared slicing for (and that is not an extension) just names that
    /// element: the R4 tooling renames it (Composition.date:IssueDate, FamilyMemberHistory.condition:Condition) instead
    /// of adding a slice next to it.
    /// </summary>
    private bool IsSingleNamed(int index)
    {
        var e = _elements[index];
        var path = e.Path?.Value ?? "";
        return e.Slicing is null && e.SliceName is null
            && !path.EndsWith(".extension", StringComparison.Ordinal) && !path.EndsWith(".modifierExtension", StringComparison.Ordinal);
    }

    private int RenameInPlace(int index, string id, string sliceName)
    {
        var old = _elements[index].Id!;
        _elements[index].Id = id;
        _elements[index].SliceName = sliceName;
        for (var i = index + 1; i < _elements.Count && ElementIds.IsInBlock(_elements[i].Id!, old); i++)
        {
            _elements[i].Id = id + _elements[i].Id![old.Length..];
        }

        return index;
    }

    private int IndexOf(string id)
    {
        for (var i = 0; i < _elements.Count; i++)
        {
            if (_elements[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private bool HasChildren(int index) =>
        index + 1 < _elements.Count && ElementIds.IsDescendant(_elements[index + 1].Id!, _elements[index].Id!);

    /// <summary>Copies the sliced element and its descendants (not its other slices) as a new slice at the end of the block.</summary>
    private int CreateSlice(int slicedIndex, string id, string sliceName)
    {
        var sliced = _elements[slicedIndex];
        var slicedId = sliced.Id!;
        AddImplicitSlicing(sliced, sliceName);
        var copies = new List<ElementDefinition>();
        var root = (ElementDefinition)sliced.DeepCopy();
        root.Id = id;
        root.SliceName = sliceName;
        root.Slicing = null;
        if (ChoiceSliceType(sliced, sliceName) is { } typeCode)
        {
            root.Type = root.Type.Where(t => t.Code?.Value == typeCode).Select(t => (ElementDefinition.TypeRefComponent)t.DeepCopy()).ToList();
        }

        copies.Add(root);
        for (var i = slicedIndex + 1; i < _elements.Count && ElementIds.IsInBlock(_elements[i].Id!, slicedId); i++)
        {
            if (ElementIds.IsDescendant(_elements[i].Id!, slicedId))
            {
                var child = (ElementDefinition)_elements[i].DeepCopy();
                child.Id = id + child.Id![slicedId.Length..];
                copies.Add(child);
            }
        }

        var end = slicedIndex + 1;
        while (end < _elements.Count && ElementIds.IsInBlock(_elements[end].Id!, slicedId))
        {
            end++;
        }

        _elements.InsertRange(end, copies);
        return end;
    }

    /// <summary>
    /// Slicing the differential implies without stating it: extensions are sliced by url (open), and a type slice of a
    /// choice (<c>value[x]:valueQuantity</c>) slices by type and narrows the choice to the sliced types, as the R4 tooling does.
    /// </summary>
    private static void AddImplicitSlicing(ElementDefinition sliced, string sliceName)
    {
        var path = sliced.Path?.Value ?? "";
        if (ChoiceSliceType(sliced, sliceName) is { } typeCode)
        {
            sliced.Slicing ??= new ElementDefinition.SlicingComponent
            {
                Discriminator = [new ElementDefinition.DiscriminatorComponent { Type = "type", Path = "$this" }],
                Ordered = false,
                Rules = "closed",
            };
            var kept = sliced.Type.Where(t => t.Code?.Value == typeCode).ToList();
            if (kept.Count > 0 && sliced.Type.Count > 1 && sliced.Slicing.Rules?.Value == "closed")
            {
                sliced.Type = kept;
            }

            return;
        }

        if (sliced.Slicing is null && (path.EndsWith(".extension", StringComparison.Ordinal) || path.EndsWith(".modifierExtension", StringComparison.Ordinal)))
        {
            sliced.Slicing = new ElementDefinition.SlicingComponent
            {
                Discriminator = [new ElementDefinition.DiscriminatorComponent { Type = "value", Path = "url" }],
                Ordered = false,
                Rules = "open",
            };
        }
    }

    /// <summary>For <c>value[x]</c> sliced as <c>valueQuantity</c>, the type code <c>Quantity</c>; null for other slices.</summary>
    private static string? ChoiceSliceType(ElementDefinition sliced, string sliceName)
    {
        var path = sliced.Path?.Value ?? "";
        if (!path.EndsWith("[x]", StringComparison.Ordinal))
        {
            return null;
        }

        var name = path[(path.LastIndexOf('.') + 1)..^3];
        if (!sliceName.StartsWith(name, StringComparison.Ordinal) || sliceName.Length == name.Length)
        {
            return null;
        }

        var suffix = sliceName[name.Length..];
        return sliced.Type.Select(t => t.Code?.Value).FirstOrDefault(c => c is not null && string.Equals(c, suffix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Rewrites renamed choice segments (<c>Observation.valueQuantity</c>) to the type-slice form R4 snapshots use
    /// (<c>Observation.value[x]:valueQuantity</c>), expanding parents as needed to see which elements are choices.
    /// </summary>
    public string NormalizeId(string id)
    {
        var segments = id.Split('.');
        var prefix = segments[0];
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var candidate = prefix + "." + segment;
            if (!segment.Contains(':', StringComparison.Ordinal) && !segment.EndsWith("[x]", StringComparison.Ordinal) && IndexOf(candidate) < 0)
            {
                var parent = FindOrCreate(prefix);
                if (parent >= 0 && !HasChildren(parent))
                {
                    Expand(parent);
                }

                for (var cut = segment.Length - 1; cut > 0; cut--)
                {
                    if (char.IsUpper(segment[cut]) && IndexOf(prefix + "." + segment[..cut] + "[x]") >= 0)
                    {
                        // Inside a slice the R4 tooling narrows the choice in place; at the top it adds a type slice.
                        if (prefix.Contains(':', StringComparison.Ordinal))
                        {
                            candidate = prefix + "." + segment[..cut] + "[x]";
                            InPlaceChoices.TryAdd(candidate, segment[cut..]);
                        }
                        else
                        {
                            candidate = prefix + "." + segment[..cut] + "[x]:" + segment;
                        }

                        break;
                    }
                }
            }

            prefix = candidate;
        }

        return prefix;
    }

    /// <summary>
    /// An extension slice without a profile defines its extension inline, so its children (url, value[x]) are shown,
    /// as the published R4 snapshots do.
    /// </summary>
    public void ExpandInlineExtension(int index)
    {
        var e = _elements[index];
        if (e.SliceName is not null && e.Type.Count == 1 && e.Type[0].Code?.Value == "Extension" && e.Type[0].Profile.Count == 0 && !HasChildren(index))
        {
            Expand(index);
        }
    }

    /// <summary>Inserts the children of an element from its contentReference, type profile or type definition.</summary>
    private void Expand(int index)
    {
        var element = _elements[index];
        var id = element.Id!;
        var path = element.Path!.Value!;
        List<ElementDefinition> source;
        string sourceRootId;
        string sourceRootPath;
        if (element.ContentReference?.Value is { } reference)
        {
            sourceRootId = reference[(reference.IndexOf('#', StringComparison.Ordinal) + 1)..];
            sourceRootPath = sourceRootId;
            var start = IndexOf(sourceRootId);
            source = [];
            for (var i = start + 1; start >= 0 && i < _elements.Count && ElementIds.IsInBlock(_elements[i].Id!, sourceRootId); i++)
            {
                if (ElementIds.IsDescendant(_elements[i].Id!, sourceRootId))
                {
                    source.Add(_elements[i]);
                }
            }
        }
        else
        {
            var codes = element.Type.Select(t => t.Code?.Value).Distinct().ToList();
            if (codes.Count != 1 || codes[0] is not { } code)
            {
                Problems.Add($"{id}: cannot expand an element with {codes.Count} types");
                return;
            }

            var profile = element.Type.Count == 1 ? element.Type[0].Profile.FirstOrDefault()?.Value : null;
            var definition = (profile is null ? null : _snapshotOf(profile)) ?? _snapshotOf(code.Contains(':', StringComparison.Ordinal) ? code : "http://hl7.org/fhir/StructureDefinition/" + code);
            if (definition?.Snapshot is not { Element.Count: > 0 } snapshot)
            {
                Problems.Add($"{id}: no definition for type {code}");
                return;
            }

            sourceRootId = snapshot.Element[0].Id ?? snapshot.Element[0].Path!.Value!;
            sourceRootPath = snapshot.Element[0].Path!.Value!;
            source = snapshot.Element.Skip(1).ToList();
        }

        var children = new List<ElementDefinition>(source.Count);
        foreach (var s in source)
        {
            var copy = (ElementDefinition)s.DeepCopy();
            copy.Id = id + (s.Id ?? s.Path!.Value!)[sourceRootId.Length..];
            copy.Path = path + s.Path!.Value![sourceRootPath.Length..];
            children.Add(copy);
        }

        _elements.InsertRange(index + 1, children);
    }
}
