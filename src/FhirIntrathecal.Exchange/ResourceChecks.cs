using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// The steps both registry modalities share: locating a finding at a record's field, and validating every mapped
/// resource against R4 core and the IG with each finding pointed at the record the resource came from.
/// </summary>
internal static class ResourceChecks
{
    /// <summary>The reader's located errors as diagnostics, and the records they refuse.</summary>
    public static (List<Diagnostic> Diagnostics, HashSet<string> Refused) ReadErrors(IEnumerable<RegistryError> errors)
    {
        var diagnostics = new List<Diagnostic>();
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in errors)
        {
            diagnostics.Add(DiagnosticCatalog.For(e.Problem).At(e.File, e.Line, e.Position, $"'{e.Column}' {e.Message}", e.Path ?? e.Column, e.Record));
            refused.Add(e.Record ?? e.File);
        }

        return (diagnostics, refused);
    }

    /// <summary>Validates every mapped resource; returns the records with error-level findings, adds new findings as diagnostics.</summary>
    public static HashSet<string> Validate(
        FhirValidator validator,
        IReadOnlyDictionary<string, RecordSource> sources,
        IReadOnlyList<MappedPatient> mapped,
        Func<string, string> idColumn,
        List<Diagnostic> diagnostics,
        HashSet<(string, string, string?)> seen)
    {
        var planned = mapped.SelectMany(m => m.Resources).ToList();
        var results = new ValidationResult[planned.Count];
        Parallel.For(0, planned.Count, i => results[i] = validator.Validate(planned[i].Resource));
        var failed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < planned.Count; i++)
        {
            foreach (var issue in ValidationFindings.Reportable(results[i].Issues))
            {
                var error = issue.Severity != IssueSeverity.Warning;
                var record = planned[i].Record;
                if (error)
                {
                    failed.Add(record);
                }

                var detail = ValidationFindings.Detail(issue);
                if (seen.Add((record, detail, issue.Expression)))
                {
                    var code = error ? DiagnosticCatalog.ValidationError : DiagnosticCatalog.ValidationWarning;
                    var at = Locate(sources, code, record, idColumn(record)) with { Path = issue.Expression };
                    diagnostics.Add(at with { Message = $"{code.Message}: {detail} on {planned[i].Resource.TypeInfo.Name}" });
                }
            }
        }

        return failed;
    }

    /// <summary>A diagnostic at <paramref name="field"/> of <paramref name="record"/> (its file, line and column).</summary>
    public static Diagnostic Locate(IReadOnlyDictionary<string, RecordSource> sources, DiagnosticCode code, string record, string field)
    {
        if (!sources.TryGetValue(record, out var source))
        {
            return code.At(string.Empty, 0, 0, $"'{field}'", field, record);
        }

        var at = source.Locate(field);
        return code.At(at.File, at.Line, at.Position, $"'{field}'", at.Path ?? field, record);
    }

    /// <summary>Every diagnostic in reading order: by file, line, column, then code.</summary>
    public static List<Diagnostic> Sorted(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
}
