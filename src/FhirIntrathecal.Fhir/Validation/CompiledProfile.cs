using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>A StructureDefinition's snapshot compiled once into an element tree; immutable and shared across validations.</summary>
internal sealed class CompiledProfile
{
    public required string Url { get; init; }

    /// <summary>The constrained type: <c>Patient</c>, <c>Extension</c>, <c>HumanName</c>.</summary>
    public required string Type { get; init; }

    public required ElementNode Root { get; init; }

    public required StructureDefinition Definition { get; init; }

    /// <summary>Element ids → nodes, for contentReference and discriminator look-ups.</summary>
    public required IReadOnlyDictionary<string, ElementNode> ById { get; init; }

    public bool IsExtension => Type == "Extension";

    public override string ToString() => Url;
}
