using FhirIntrathecal.Exchange;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using Microsoft.AspNetCore.Http;

namespace FhirIntrathecal.Service.Intake;

/// <summary>The intake's refusals: one code, one message, one FHIR issue type each. Messages say why, never what a caller sent.</summary>
public static class IntakeErrors
{
    public const string MediaType = "INTAKE_MEDIA_TYPE";
    public const string Origin = "INTAKE_ORIGIN";
    public const string TooLarge = "INTAKE_TOO_LARGE";
    public const string BadRequest = "INTAKE_BAD_REQUEST";
    public const string Forbidden = "INTAKE_FORBIDDEN";
    public const string OutboxUnavailable = "INTAKE_OUTBOX_UNAVAILABLE";

    private static readonly Dictionary<string, (string Type, string Message)> Catalogue = new(StringComparer.Ordinal)
    {
        [MediaType] = ("not-supported", "Content-Type must be application/fhir+json, application/json or application/fhir+ndjson (or multipart/form-data with the registry CSV files on /intake/registry)."),
        [Origin] = ("security", "Requests from web pages (with an Origin header) are refused."),
        [TooLarge] = ("too-costly", "The request body, or one item in it, is larger than the intake accepts (Adapter:Intake:MaxRequestBytes / MaxItemBytes)."),
        [BadRequest] = ("invalid", "The request could not be read."),
        [Forbidden] = ("forbidden", "The intake may only create or update resources of the configured types."),
        [OutboxUnavailable] = ("transient", "The outbox cannot durably write right now; nothing was accepted. Retry later."),
    };

    /// <summary>An error of the catalogue as a located <see cref="Diagnostic"/> (for OperationOutcomes with a location).</summary>
    public static Diagnostic Error(string code, string location = "", string? detail = null) =>
        new(code, DiagnosticSeverity.Error, detail is null ? Catalogue[code].Message : $"{Catalogue[code].Message} {detail}", "intake", 0, 0) { Path = location };

    public static IResult Result(string code, int status) => Outcome([Error(code)], status);

    /// <summary>The errors (first 100) as an OperationOutcome: expression = the element or field path, line and column in the HL7 issue-line/issue-col extensions.</summary>
    public static IResult Outcome(IReadOnlyList<Diagnostic> errors, int status)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var outcome = new OperationOutcome();
        outcome.Issue.AddRange(errors.Take(100).Select(e =>
        {
            var type = Catalogue.TryGetValue(e.Code, out var known) ? known.Type : "invalid";
            var issue = new OperationOutcome.IssueComponent { Severity = e.IsError ? "error" : "warning", Code = type, Diagnostics = e.ToString() };
            if (!string.IsNullOrEmpty(e.Path))
            {
                issue.Expression.Add(e.Path);
            }

            if (e.Line > 0)
            {
                issue.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line", Value = new Integer(e.Line) });
            }

            if (e.Column > 0)
            {
                issue.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col", Value = new Integer(e.Column) });
            }

            return issue;
        }));
        return Results.Text(FhirJsonSerializer.SerializeToString(outcome), "application/fhir+json", statusCode: status);
    }
}
