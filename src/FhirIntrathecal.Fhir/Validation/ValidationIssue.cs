using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// One validation finding. <see cref="MessageId"/> is stable (docs/validation-messages.md) so callers can match on it;
/// <see cref="Type"/> is the OperationOutcome issue-type code; <see cref="Expression"/> is a FHIRPath location into the
/// instance (<c>Patient.name[0].given[1]</c>); <see cref="ElementId"/> and <see cref="Profile"/> name the rule's origin.
/// </summary>
public sealed record ValidationIssue(
    IssueSeverity Severity,
    string Type,
    string MessageId,
    string Message,
    string Expression,
    string? ElementId = null,
    string? Profile = null)
{
    /// <summary>1-based line in the input, 0 when unknown (instances built in code).</summary>
    public long Line { get; init; }

    public long Column { get; init; }

    public override string ToString()
    {
        var where = Line > 0 ? $"{Expression} (line {Line}, col {Column})" : Expression;
        return $"{Severity.ToString().ToLowerInvariant()} {MessageId} at {where}: {Message}";
    }
}

/// <summary>OperationOutcome issue-type codes (http://hl7.org/fhir/issue-type) the validator uses.</summary>
public static class IssueTypes
{
    public const string Structure = "structure";
    public const string Required = "required";
    public const string Value = "value";
    public const string Invariant = "invariant";
    public const string CodeInvalid = "code-invalid";
    public const string Extension = "extension";
    public const string NotFound = "not-found";
    public const string Invalid = "invalid";
    public const string Informational = "informational";
    public const string NotSupported = "not-supported";
    public const string Security = "security";
    public const string BusinessRule = "business-rule";
    public const string Duplicate = "duplicate";
    public const string Processing = "processing";
    public const string Exception = "exception";
}
