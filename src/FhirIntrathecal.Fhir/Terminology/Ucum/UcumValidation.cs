namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>Result of <see cref="UcumService.Validate"/>.</summary>
/// <param name="IsValid">True when the expression parses and every symbol is a known (correctly prefixed) unit.</param>
/// <param name="Error">Human-readable problem ending in "at {Position}", or null when valid.</param>
/// <param name="Position">0-based character offset of the problem; -1 when valid.</param>
public readonly record struct UcumValidation(bool IsValid, string? Error, int Position);
