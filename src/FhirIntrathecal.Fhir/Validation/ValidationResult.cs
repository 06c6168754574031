using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>The outcome of validating one instance: every issue, in the order found. Convert with <see cref="ToOperationOutcome"/>.</summary>
public sealed class ValidationResult
{
    public ValidationResult(IReadOnlyList<ValidationIssue> issues) => Issues = issues;

    public IReadOnlyList<ValidationIssue> Issues { get; }

    public int ErrorCount => Issues.Count(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);

    public int WarningCount => Issues.Count(i => i.Severity == IssueSeverity.Warning);

    /// <summary>No error or fatal issue (warnings and information allowed).</summary>
    public bool IsValid => ErrorCount == 0;

    /// <summary>Parse issues become validation issues with the parser's code as message id (PARSE_*).</summary>
    public static ValidationIssue FromParseIssue(ParseIssue p) => new(
        p.Severity,
        p.Code switch
        {
            ParseCodes.Syntax or ParseCodes.TooDeep or ParseCodes.TooLarge => IssueTypes.Structure,
            ParseCodes.Forbidden => IssueTypes.Security,
            ParseCodes.InvalidValue => IssueTypes.Value,
            _ => IssueTypes.Structure,
        },
        p.Code,
        p.Message,
        p.Location)
    { Line = p.Line, Column = p.Column };

    /// <summary>
    /// The result as an OperationOutcome: details.coding carries the message id, details.text the message, expression
    /// the FHIRPath location; the profile element id and line/column use the HL7 validator's extensions.
    /// </summary>
    public OperationOutcome ToOperationOutcome()
    {
        var outcome = new OperationOutcome();
        foreach (var i in Issues)
        {
            outcome.Issue.Add(ToComponent(i));
        }

        if (Issues.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = "information",
                Code = IssueTypes.Informational,
                Details = new CodeableConcept { Text = "All OK" },
            });
        }

        return outcome;
    }

    private static OperationOutcome.IssueComponent ToComponent(ValidationIssue i)
    {
        var c = new OperationOutcome.IssueComponent
        {
            Severity = i.Severity.ToString().ToLowerInvariant(),
            Code = i.Type,
            Details = new CodeableConcept
            {
                Coding = [new Coding { System = MessageIds.System, Code = i.MessageId }],
                Text = i.Message,
            },
        };
        if (i.Expression.Length > 0)
        {
            c.Expression.Add(i.Expression);
        }

        if (i.Line > 0)
        {
            c.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line", Value = new Integer((int)i.Line) });
            c.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col", Value = new Integer((int)i.Column) });
        }

        if (i.ElementId is not null || i.Profile is not null)
        {
            var source = i.Profile is null ? i.ElementId : i.ElementId is null ? i.Profile : i.Profile + "#" + i.ElementId;
            c.Extension.Add(new Extension { Url = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-source", Value = new FhirString(source) });
        }

        return c;
    }
}
