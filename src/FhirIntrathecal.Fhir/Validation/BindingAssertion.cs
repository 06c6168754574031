using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Terminology;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// A required (error) or extensible (warning) binding. Codes whose membership cannot be decided locally (systems we do
/// not hold, no terminology server) get an information issue: the instance is not failed for our lack of content.
/// </summary>
internal sealed class BindingAssertion(LocalTerminologyService terminology, string valueSet, bool required) : ElementAssertion
{
    public override void Validate(object value, in Scope scope)
    {
        switch (value)
        {
            case CodeableConcept cc:
                ValidateConcept(cc, scope);
                break;
            // The description of the value is built only for an issue.
            case Coding c when c.Code?.Value is { } code && Extensible(Check(c.System?.Value, code), c.System?.Value) is { Validity: not CodeValidity.Valid } codingCheck:
                Report(codingCheck, scope, $"{c.System?.Value}#{code}");
                break;
            case Quantity q when q.Code?.Value is { } code && q.System?.Value is { } system && Check(system, code) is { Validity: not CodeValidity.Valid } quantityCheck:
                Report(quantityCheck, scope, $"{system}#{code}");
                break;
            case PrimitiveType { ObjectValue: string code } p when p is Code or FhirString or FhirUri:
                var check = Check(null, code);
                if (check.Validity == CodeValidity.Invalid)
                {
                    // A bare code names no system: the reference validator first reports that none of the ValueSet's systems has it.
                    scope.Report(required ? IssueSeverity.Error : IssueSeverity.Warning, IssueTypes.CodeInvalid, MessageIds.BindingCodeSystem,
                        $"The System URI could not be determined for the code '{code}' in the ValueSet '{valueSet}'.");
                }

                if (check.Validity != CodeValidity.Valid)
                {
                    Report(check, scope, $"'{code}'");
                }

                break;
        }
    }

    private CodeCheck Check(string? system, string code) => terminology.ValidateCode(valueSet, system, code);

    /// <summary>An extensible binding allows codes from other systems: when that system is not held here, say so, do not warn.</summary>
    private CodeCheck Extensible(CodeCheck r, string? system) =>
        !required && r.Validity == CodeValidity.Invalid && system is not null && !terminology.IsKnownSystem(system)
            ? new CodeCheck(CodeValidity.Unknown, $"code system {system} is not available locally (the extensible binding allows other codes)")
            : r;

    private void ValidateConcept(CodeableConcept cc, in Scope scope)
    {
        if (cc.Coding.Count == 0 || cc.Coding.All(c => c.Code?.Value is null))
        {
            if (cc.Coding.Count == 0 && cc.Text?.Value is not null || cc.Coding.Count > 0)
            {
                scope.Report(required ? IssueSeverity.Error : IssueSeverity.Warning, IssueTypes.CodeInvalid, MessageIds.BindingNoCode,
                    $"No code provided, and a code {(required ? "is required" : "should be provided")} from ValueSet {valueSet}.");
            }

            return;
        }

        CodeCheck? unknown = null;
        string? invalidMessage = null;
        foreach (var c in cc.Coding)
        {
            if (c.Code?.Value is not { } code)
            {
                continue;
            }

            var r = Check(c.System?.Value, code);
            switch (r.Validity)
            {
                case CodeValidity.Valid:
                    return;
                case CodeValidity.Unknown:
                    unknown ??= r;
                    break;
                default:
                    invalidMessage ??= r.Message;
                    break;
            }
        }

        var foreign = cc.Coding.Select(c => c.System?.Value).FirstOrDefault(s => s is not null && !terminology.IsKnownSystem(s));
        Report(unknown ?? Extensible(new CodeCheck(CodeValidity.Invalid, invalidMessage), foreign), scope, Describe.Value(cc));
    }

    private void Report(CodeCheck r, in Scope scope, string what)
    {
        switch (r.Validity)
        {
            case CodeValidity.Valid:
                return;
            case CodeValidity.Unknown:
                scope.Report(IssueSeverity.Information, IssueTypes.NotSupported, MessageIds.BindingUnknownSystem,
                    $"{what} could not be checked against ValueSet {valueSet}: {r.Message}.");
                return;
            default:
                scope.Report(required ? IssueSeverity.Error : IssueSeverity.Warning, IssueTypes.CodeInvalid,
                    required ? MessageIds.BindingRequired : MessageIds.BindingExtensible,
                    $"{what} is not in the {(required ? "required" : "extensible")} ValueSet {valueSet}" + (r.Message is null || r.Message.Contains(valueSet, StringComparison.Ordinal) ? "." : $" ({r.Message})."));
                return;
        }
    }
}
