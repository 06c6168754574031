namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Picks the FHIRPath engine for invariants (the seam: only this file knows which engine exists).</summary>
internal static class DefaultInvariantEvaluator
{
    public static IInvariantEvaluator Create() => NoInvariantEvaluator.Instance;
}
