using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>Mapped resources written as JSON text and parsed back, as a pull would see them (with the fullUrl of a Bundle entry).</summary>
internal static class ThroughJson
{
    public static List<(Resource, string?)> Read(IEnumerable<Bundle> bundles) =>
        bundles.Select(b => (Bundle)FhirJsonParser.Parse(FhirJsonSerializer.SerializeToString(b)).Value!)
            .SelectMany(b => b.Entry.Select(e => (e.Resource!, e.FullUrl?.Value))).ToList();

    public static List<(Resource, string?)> Read(IEnumerable<PlannedResource> planned) =>
        planned.Select(p => (FhirJsonParser.Parse(FhirJsonSerializer.SerializeToString(p.Resource)).Value!, (string?)null)).ToList();
}
