namespace FhirIntrathecal.ModelGen;

/// <summary>What the generator needs of the R4 definitions, read once from the StructureDefinitions.</summary>
public sealed record SpecModel(IReadOnlyList<SpecType> Types);

public enum SpecKind
{
    Primitive,
    Complex,
    Resource,
    Component,
}

/// <summary>A type to generate: a primitive, datatype, resource, or a component nested in one of them.</summary>
public sealed class SpecType
{
    public required string FhirName { get; init; }          // Patient, dateTime, Patient.contact

    public required string ClrName { get; init; }           // Patient, FhirDateTime, ContactComponent

    public required SpecKind Kind { get; init; }

    public required bool IsAbstract { get; init; }

    public required string? BaseFhirName { get; init; }     // DomainResource, Element, BackboneElement

    public List<SpecElement> OwnElements { get; } = [];

    public List<SpecType> Components { get; } = [];         // nested types (only on top-level types)

    public SpecType? Parent { get; init; }                   // the top-level type a component is nested in

    public string? Documentation { get; init; }
}

public sealed class SpecElement
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    public required int Min { get; init; }

    public required int Max { get; init; }                   // int.MaxValue for *

    public required IReadOnlyList<string> TypeNames { get; init; }  // FHIR names, System.X, or a component path

    public required bool IsChoice { get; init; }

    public required bool IsModifier { get; init; }

    public required bool IsSummary { get; init; }

    public required string Representation { get; init; }     // Element, Attribute, Xhtml

    public string? Short { get; init; }
}
