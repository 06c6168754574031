using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// The validation step between reading/mapping and the outbox. The profile validator (branch `validation`) plugs in
/// here; until then <see cref="AcceptAllValidator"/> lets everything through and the server's answer decides.
/// </summary>
public interface IResourceValidator
{
    /// <summary>Error-level findings keep the resource (or the transaction holding it) out of the outbox.</summary>
    IReadOnlyList<InputError> Validate(Resource resource, string file, long line);
}

public sealed class AcceptAllValidator : IResourceValidator
{
    public IReadOnlyList<InputError> Validate(Resource resource, string file, long line) => [];
}
