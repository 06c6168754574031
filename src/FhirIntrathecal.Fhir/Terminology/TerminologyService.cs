using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Terminology.Ucum;

namespace FhirIntrathecal.Fhir.Terminology;

public enum CodeValidity
{
    Valid,
    Invalid,
    /// <summary>Could not be decided with what is available (code system not held, no server).</summary>
    Unknown,
}

/// <summary>The answer to "is this code in that ValueSet", with a message explaining Invalid or Unknown.</summary>
public readonly record struct CodeCheck(CodeValidity Validity, string? Message)
{
    public static CodeCheck Valid { get; } = new(CodeValidity.Valid, null);
}

/// <summary>Decides ValueSet membership of codes; implementations must be thread-safe.</summary>
public interface ITerminologyService
{
    /// <param name="system">Null for bare <c>code</c> elements, whose system is implied by the ValueSet.</param>
    CodeCheck ValidateCode(string valueSetCanonical, string? system, string code);
}

/// <summary>
/// Membership from local content: local ValueSet expansions, UCUM through <see cref="UcumService"/>, and an optional
/// remote server asked only when local content cannot decide.
/// </summary>
public sealed class LocalTerminologyService : ITerminologyService
{
    private const string Ucum = "http://unitsofmeasure.org";
    private readonly ITerminologyService? _remote;

    public LocalTerminologyService(ICanonicalResolver resolver, ITerminologyService? remote = null)
    {
        Expander = new ValueSetExpander(resolver);
        _remote = remote;
    }

    public ValueSetExpander Expander { get; }

    public CodeCheck ValidateCode(string valueSetCanonical, string? system, string code)
    {
        var local = ValidateLocally(valueSetCanonical, system, code);
        return local.Validity == CodeValidity.Unknown && _remote is not null ? _remote.ValidateCode(valueSetCanonical, system, code) : local;
    }

    private CodeCheck ValidateLocally(string valueSet, string? system, string code)
    {
        if (system == Ucum && UcumService.Default.Validate(code) is { IsValid: false } bad)
        {
            return new CodeCheck(CodeValidity.Invalid, $"'{code}' is not a valid UCUM unit: {bad.Error}");
        }

        var expansion = Expander.Expand(valueSet);
        if (expansion is null)
        {
            return new CodeCheck(CodeValidity.Unknown, $"ValueSet {valueSet} is not available locally");
        }

        if (system is null)
        {
            if (expansion.ContainsCodeInAnySystem(code))
            {
                return CodeCheck.Valid;
            }

            return expansion.OpenSystems.Count > 0 || expansion.IsIncomplete
                ? new CodeCheck(CodeValidity.Unknown, expansion.IncompleteReason ?? $"ValueSet {valueSet} includes systems not held locally")
                : new CodeCheck(CodeValidity.Invalid, $"'{code}' is not in ValueSet {valueSet}");
        }

        if (expansion.ContainsCode(system, code))
        {
            return CodeCheck.Valid;
        }

        if (expansion.OpenSystems.Contains(system))
        {
            if (system == Ucum && !expansion.Codes.ContainsKey(Ucum))
            {
                return CodeCheck.Valid;
            }

            if (Expander.GetCodeSystem(system) is { IsComplete: true } cs && !cs.Contains(code) && !expansion.Codes.ContainsKey(system))
            {
                return new CodeCheck(CodeValidity.Invalid, $"'{code}' is not a code of {system}");
            }

            return new CodeCheck(CodeValidity.Unknown, $"code system {system} is not available locally, so '{code}' cannot be checked");
        }

        return expansion.IsIncomplete
            ? new CodeCheck(CodeValidity.Unknown, expansion.IncompleteReason)
            : new CodeCheck(CodeValidity.Invalid, $"{system}#{code} is not in ValueSet {valueSet}");
    }
}
