using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Terminology;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Picks the FHIRPath engine for invariants (the seam: only this file knows which engine exists).</summary>
internal static class DefaultInvariantEvaluator
{
    public static IInvariantEvaluator Create(FhirValidator validator) => new FhirPathInvariantEvaluator
    {
        MemberOf = (coded, valueSet) => MemberOf(validator.Terminology, coded, valueSet),
        ConformsTo = (instance, profile) => validator.GetProfile(profile) is null ? null : validator.Validate((Resource)instance, [profile]).IsValid,
    };

    /// <summary>memberOf() over the validator's terminology: null (empty) when membership cannot be decided locally.</summary>
    private static bool? MemberOf(LocalTerminologyService terminology, object coded, string valueSet)
    {
        IEnumerable<(string? System, string Code)> codes = coded switch
        {
            Coding { Code.Value: { } c } coding => [(coding.System?.Value, c)],
            CodeableConcept cc => cc.Coding.Where(c => c.Code?.Value is not null).Select(c => (c.System?.Value, c.Code!.Value!)),
            PrimitiveType { ObjectValue: string s } => [(null, s)],
            string s => [(null, s)],
            _ => [],
        };
        var unknown = false;
        foreach (var (system, code) in codes)
        {
            switch (terminology.ValidateCode(valueSet, system, code).Validity)
            {
                case CodeValidity.Valid:
                    return true;
                case CodeValidity.Unknown:
                    unknown = true;
                    break;
            }
        }

        return unknown ? null : false;
    }
}

/// <summary>Invariants through our FHIRPath engine. An empty result counts as satisfied: R4 invariants are written so that absent data passes.</summary>
public sealed class FhirPathInvariantEvaluator : IInvariantEvaluator
{
    /// <summary>memberOf(): is the coded value in the ValueSet (null when unknown)?</summary>
    public FhirPathMemberOf? MemberOf { get; init; }

    /// <summary>conformsTo(): does the resource meet the profile (null when the profile is unknown)?</summary>
    public FhirPathConformsTo? ConformsTo { get; init; }

    public Func<object, InvariantContext, bool?>? Compile(string expression, out string? error)
    {
        CompiledExpression compiled;
        try
        {
            compiled = FhirPathCompiler.Compile(expression);
        }
        catch (FhirPathException e)
        {
            error = e.Message;
            return null;
        }

        error = null;
        return (focus, ctx) =>
        {
            var ec = ctx.EngineState as EvaluationContext;
            if (ec is null)
            {
                ec = new EvaluationContext { Resource = ctx.Resource, RootResource = ctx.RootResource, MemberOf = MemberOf, ConformsTo = ConformsTo };
                ctx.EngineState = ec;
            }

            return compiled.EvaluateBoolean(focus, ec);
        };
    }
}
