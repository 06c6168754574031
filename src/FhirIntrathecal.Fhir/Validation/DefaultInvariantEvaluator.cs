using FhirIntrathecal.Fhir.FhirPath;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Picks the FHIRPath engine for invariants (the seam: only this file knows which engine exists).</summary>
internal static class DefaultInvariantEvaluator
{
    public static IInvariantEvaluator Create() => new FhirPathInvariantEvaluator();
}

/// <summary>Invariants through our FHIRPath engine. An empty result counts as satisfied: R4 invariants are written so that absent data passes.</summary>
public sealed class FhirPathInvariantEvaluator : IInvariantEvaluator
{
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
                ec = new EvaluationContext { Resource = ctx.Resource, RootResource = ctx.RootResource };
                ctx.EngineState = ec;
            }

            return compiled.EvaluateBoolean(focus, ec);
        };
    }
}
