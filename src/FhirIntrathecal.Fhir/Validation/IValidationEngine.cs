namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// A validator behind one seam: ours (<see cref="FhirValidator"/>) or another engine (the optional Firely bridge), each
/// reading the input with our parsers and reporting in our format (stable message ids, FHIRPath locations, line/column).
/// </summary>
public interface IValidationEngine
{
    /// <summary>Parses FHIR JSON and validates it against its definitions, declared profiles and <paramref name="profiles"/>.</summary>
    ValidationResult ValidateJson(ReadOnlySpan<byte> utf8Json, IEnumerable<string>? profiles = null);

    /// <summary>Parses FHIR XML (encoded bytes) and validates it like <see cref="ValidateJson"/>.</summary>
    ValidationResult ValidateXml(ReadOnlySpan<byte> xml, IEnumerable<string>? profiles = null);
}
