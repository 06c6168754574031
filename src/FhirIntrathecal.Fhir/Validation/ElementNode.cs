using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>One allowed type of an element: the type code and the profiles the value (or, for references, the target) must meet.</summary>
internal sealed record TypeRef(string Code, IReadOnlyList<string> Profiles, IReadOnlyList<string> TargetProfiles);

/// <summary>One discriminator of a slicing: how slices are told apart.</summary>
internal sealed record Discriminator(string Type, string Path);

/// <summary>The slicing of an element: its discriminators, rules and slices (compiled like any element).</summary>
internal sealed class SlicingInfo
{
    public required IReadOnlyList<Discriminator> Discriminators { get; init; }

    /// <summary>closed | open | openAtEnd.</summary>
    public required string Rules { get; init; }

    public required bool Ordered { get; init; }

    public List<ElementNode> Slices { get; } = [];
}

/// <summary>
/// A compiled ElementDefinition: cardinality, types, assertions and children. Immutable after compilation (children are
/// filled once while compiling), so one tree is shared by every concurrent validation.
/// </summary>
internal sealed class ElementNode
{
    private static readonly TypeRef[] NoTypes = [];

    public required string Id { get; init; }

    public required string Path { get; init; }

    /// <summary>The last path segment without <c>[x]</c>, matching <see cref="ElementInfo.Name"/>.</summary>
    public required string Name { get; init; }

    public string? SliceName { get; init; }

    public int Min { get; init; }

    /// <summary>int.MaxValue for <c>*</c>.</summary>
    public int Max { get; init; } = int.MaxValue;

    public IReadOnlyList<TypeRef> Types { get; init; } = NoTypes;

    public bool IsModifier { get; init; }

    public IReadOnlyList<ElementAssertion> Assertions { get; set; } = [];

    /// <summary>Constraint keys on this element, so a type's root does not evaluate the same invariant twice.</summary>
    public IReadOnlySet<string> ConstraintKeys { get; set; } = new HashSet<string>();

    /// <summary>Children by element name (choice elements by bare name); empty when the snapshot does not expand this element.</summary>
    public Dictionary<string, ElementNode> Children { get; } = new(StringComparer.Ordinal);

    public SlicingInfo? Slicing { get; set; }

    /// <summary>An element defined by reference to another (<c>#Questionnaire.item</c>); its children are the target's.</summary>
    public string? ContentReference { get; init; }

    public ElementNode? ContentTarget { get; set; }

    /// <summary>The ElementDefinition it came from (fixed/pattern values are read from it by discriminators).</summary>
    public required ElementDefinition Definition { get; init; }

    public Dictionary<string, ElementNode> EffectiveChildren => ContentTarget?.Children ?? Children;

    public bool HasChildren => EffectiveChildren.Count > 0;

    public override string ToString() => Id;
}
