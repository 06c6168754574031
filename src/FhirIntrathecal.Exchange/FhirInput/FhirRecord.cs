using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Exchange.FhirInput;

/// <summary>
/// One unit of FHIR input: a whole .json/.xml file (<see cref="Line"/> 0) or one line of an .ndjson file. It keeps the
/// bytes it was read from (<see cref="Raw"/>), so a refused record is parked exactly as it came, never re-serialized.
/// </summary>
public sealed record FhirRecord(string File, long Line, Resource? Resource, ValidationResult Result, ReadOnlyMemory<byte> Raw)
{
    /// <summary>Read without an error (strict parse, then validation unless switched off): it may be sent.</summary>
    public bool Accepted => Resource is not null && Result.IsValid;

    /// <summary><c>name.ndjson:12</c> or <c>name.json</c>: the unit's name in push progress and park files.</summary>
    public string Source => Line > 0 ? $"{System.IO.Path.GetFileName(File)}:{Line}" : System.IO.Path.GetFileName(File);

    /// <summary>Errors and warnings as located diagnostics (FHIR_PARSE, FHIR_INVALID, FHIR_WARNING); information is left out.</summary>
    public IEnumerable<Diagnostic> Diagnostics => ValidationFindings.Reportable(Result.Issues)
        .Select(i =>
        {
            var code = i.MessageId.StartsWith("PARSE_", StringComparison.Ordinal) && i.Severity != IssueSeverity.Warning ? DiagnosticCatalog.FhirParse
                : i.Severity == IssueSeverity.Warning ? DiagnosticCatalog.FhirWarning
                : DiagnosticCatalog.FhirInvalid;
            var line = Line > 0 ? Line : i.Line;
            return code.At(File, (int)Math.Min(int.MaxValue, line), (int)Math.Min(int.MaxValue, i.Column), ValidationFindings.Detail(i),
                string.IsNullOrEmpty(i.Expression) ? null : i.Expression, Resource is null ? null : Name(Resource));
        });

    /// <summary><c>Patient/p1</c>, or the type alone for a resource without id.</summary>
    public static string Name(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return string.IsNullOrEmpty(resource.Id) ? resource.TypeInfo.Name : $"{resource.TypeInfo.Name}/{resource.Id}";
    }
}
