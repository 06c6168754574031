using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Exchange;

/// <summary>The file sink of <c>convert</c>: bundles/{patient}.json (transactions with urn:uuid references) and ndjson/{Type}.ndjson.</summary>
public static class ConvertOutput
{
    /// <summary>Writes the accepted work; returns the number of resources written to NDJSON. Patient ids are FHIR ids (checked at read time), so file names stay in the folder.</summary>
    public static int Write(PreparedRegistry prepared, string folder)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        FhirFiles.WriteBundles(prepared.TransactionBundles(), folder);
        var resources = prepared.Resources.ToList();
        FhirFiles.WriteNdjson(resources, folder);
        return resources.Count;
    }
}
