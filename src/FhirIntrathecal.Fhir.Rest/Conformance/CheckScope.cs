namespace FhirIntrathecal.Fhir.Rest.Conformance;

/// <summary>
/// What a <see cref="ConformanceChecker"/> run checks a server for: the resource types an application needs, the
/// interactions each must offer, the identifier system tagging the run's test data (so cleanup finds it), and a
/// transaction creating one resource of each type for a run id (entries linked by urn:uuid references).
/// </summary>
public sealed record CheckScope(IReadOnlyList<string> Types, string IdentifierSystem, Func<string, TransactionBuilder> Transaction)
{
    /// <summary>Interactions every one of <see cref="Types"/> must offer for push, pull and corrections.</summary>
    public IReadOnlyList<string> RequiredInteractions { get; init; } = ["create", "read", "update", "search-type"];

    /// <summary>Useful but not essential: reported as warnings when missing.</summary>
    public IReadOnlyList<string> OptionalInteractions { get; init; } = ["vread", "delete", "history-instance"];
}
