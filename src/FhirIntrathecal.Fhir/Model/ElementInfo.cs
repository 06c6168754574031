namespace FhirIntrathecal.Fhir.Model;

/// <summary>How an element appears in XML (JSON only distinguishes xhtml).</summary>
public enum XmlRepresentation
{
    Element,
    /// <summary>An XML attribute: <c>id</c>, <c>url</c>, primitive <c>value</c>.</summary>
    Attribute,
    /// <summary>The xhtml <c>div</c> of a Narrative, kept as markup.</summary>
    Xhtml,
}

/// <summary>Metadata of one element of a FHIR type: name, cardinality, allowed types, and the slot that stores it.</summary>
public sealed class ElementInfo
{
    internal ElementInfo(string name, int index, int min, int max, IReadOnlyList<FhirTypeInfo> types, bool isChoice,
        bool isModifier, bool isSummary, XmlRepresentation representation, string path)
    {
        Name = name;
        Index = index;
        Min = min;
        Max = max;
        Types = types;
        IsChoice = isChoice;
        IsModifier = isModifier;
        IsSummary = isSummary;
        Representation = representation;
        Path = path;
        HoldsBareValue = max <= 1 && !isChoice && types[0].Kind == TypeKind.Primitive && representation != XmlRepresentation.Xhtml;
    }

    /// <summary>The element name without <c>[x]</c>: <c>value</c>, <c>birthDate</c>.</summary>
    public string Name { get; }

    /// <summary>The slot index of this element in every instance of the declaring type and its subtypes.</summary>
    public int Index { get; }

    public int Min { get; }

    /// <summary>Maximum cardinality; <see cref="int.MaxValue"/> for <c>*</c>.</summary>
    public int Max { get; }

    public bool IsList => Max > 1;

    public IReadOnlyList<FhirTypeInfo> Types { get; }

    public bool IsChoice { get; }

    public bool IsModifier { get; }

    public bool IsSummary { get; }

    public XmlRepresentation Representation { get; }

    /// <summary>The element's path in its defining StructureDefinition: <c>Observation.value[x]</c>.</summary>
    public string Path { get; }

    /// <summary>The single type of a non-choice element.</summary>
    public FhirTypeInfo Type => Types[0];

    /// <summary>Held as a plain .NET value (Element.id, Extension.url, a primitive's value), not as a FHIR element.</summary>
    public bool IsSystemValue => Types[0].Kind == TypeKind.System;

    /// <summary>Holds a whole resource (contained, Bundle.entry.resource, Parameters.parameter.resource).</summary>
    public bool IsResource => Types[0].Kind == TypeKind.Resource;

    /// <summary>
    /// Whether an instance's slot for this element may hold a primitive's bare value (what
    /// <see cref="PrimitiveType.RawValue"/> holds) in place of a primitive without id or extension: single-valued,
    /// non-choice elements of a primitive type (but xhtml, which XML writes as markup). The parsers store such values; <see cref="Base"/> makes the primitive
    /// (of <see cref="Type"/>) when the element is read, and the serializers, copy and equality use the value as it is.
    /// </summary>
    internal bool HoldsBareValue { get; }

    /// <summary>Per-element data a serializer precomputes (encoded names); owned by the serialization layer.</summary>
    internal object? SerializerCache { get; set; }

    public override string ToString() => Path;
}
