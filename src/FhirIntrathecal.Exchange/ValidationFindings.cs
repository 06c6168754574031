using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// How a validator issue becomes the detail of a catalogue diagnostic, in one place for FHIR input
/// (<see cref="FhirInput.FhirRecord.Diagnostics"/>) and mapped registry records (<see cref="ResourceChecks"/>).
/// </summary>
internal static class ValidationFindings
{
    /// <summary>The issues worth a diagnostic: errors, fatals and warnings (information is left out).</summary>
    public static IEnumerable<ValidationIssue> Reportable(IEnumerable<ValidationIssue> issues) =>
        issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal or IssueSeverity.Warning);

    /// <summary>
    /// The message id says what failed; a failed invariant also names its key and the profile's own text (the
    /// validator's invariant message never quotes a value, so no patient data reaches a log).
    /// </summary>
    public static string Detail(ValidationIssue issue) =>
        issue.MessageId == MessageIds.Invariant ? $"{issue.MessageId} {issue.Message}" : issue.MessageId;
}
