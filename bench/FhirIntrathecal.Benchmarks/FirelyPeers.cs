using Hl7.Fhir.Serialization;
using F = Hl7.Fhir.Model;

namespace FhirIntrathecal.Benchmarks;

/// <summary>Firely's JSON reader (Strict and Ostrich) and writer, set up once for every suite that runs them as the peer.</summary>
internal static class FirelyPeers
{
    public static readonly BaseFhirJsonDeserializer Strict = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    public static readonly BaseFhirJsonDeserializer Ostrich = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));
    public static readonly BaseFhirJsonSerializer JsonWriter = new(F.ModelInfo.ModelInspector);
}
