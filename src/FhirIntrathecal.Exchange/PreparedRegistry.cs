using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// A registry made ready for a sink: the accepted patients with their mapped, validated resources (<c>Type/id</c>
/// references, ids = stable uuids), the names of accepted and refused records, and every diagnostic, sorted by place.
/// </summary>
public sealed record PreparedRegistry(
    IReadOnlyList<MappedPatient> Patients,
    IReadOnlyList<string> Accepted,
    IReadOnlyList<string> Refused,
    IReadOnlyList<Diagnostic> Diagnostics,
    Registry Registry,
    ExportOptions Options)
{
    public int Errors => Diagnostics.Count(d => d.IsError);

    public int Warnings => Diagnostics.Count(d => !d.IsError);

    /// <summary>Every accepted resource once (shared ones such as the ResearchStudy appear in each patient's set).</summary>
    public IEnumerable<Resource> Resources =>
        Patients.SelectMany(p => p.Resources).Select(r => r.Resource).DistinctBy(r => (r.TypeInfo.Name, r.Id));
}
