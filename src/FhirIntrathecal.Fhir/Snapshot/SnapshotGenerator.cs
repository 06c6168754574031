using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Snapshot;

public sealed class SnapshotGenerator
{
    private readonly ICanonicalResolver _resolver;

    public SnapshotGenerator(ICanonicalResolver resolver) => _resolver = resolver;

    public StructureDefinition Generate(StructureDefinition sd)
    {
        _ = _resolver;
        return sd;
    }
}
