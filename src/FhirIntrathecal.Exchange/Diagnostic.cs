namespace FhirIntrathecal.Exchange;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One located finding, whatever found it (registry reader, domain rules, profile validation, FHIR parser): a stable
/// <see cref="Code"/> from <see cref="DiagnosticCatalog"/> (which fixes severity and message), the file, 1-based line and
/// column (0 = unknown), the field or FHIRPath <see cref="Path"/>, and the <see cref="Record"/> it concerns
/// (<c>administration P001-A05</c>). Messages name the field and why, never the value it held.
/// </summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, string File, int Line, int Column)
{
    public string? Path { get; init; }

    public string? Record { get; init; }

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary><c>file:line:column: error CODE: message (at path) [record]</c>, one line.</summary>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(IsError ? "error" : "warning")} {Code}: {Message}"
        + (string.IsNullOrEmpty(Path) ? string.Empty : $" (at {Path})")
        + (string.IsNullOrEmpty(Record) ? string.Empty : $" [{Record}]");
}
