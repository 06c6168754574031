using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Exchange;

/// <summary>How a delivery stays idempotent; chosen per server capability.</summary>
public enum Idempotency
{
    /// <summary>PUT [type]/[stable uuid] for every resource: no search per resource (servers that accept client ids).</summary>
    Upsert,

    /// <summary>Conditional creates (If-None-Exist) on business identifiers, urn:uuid references (servers that index identifiers).</summary>
    Conditional,
}

/// <summary>Prepared work → one transaction per patient, in the chosen idempotent form.</summary>
public static class Delivery
{
    public static IEnumerable<(string PatientId, Bundle Bundle)> Transactions(PreparedRegistry prepared, Idempotency policy)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return policy == Idempotency.Upsert
            ? prepared.Patients.Select(m => (m.Patient.RegistryId, PushInputs.Transaction(m.Resources.Select(r => r.Resource))))
            : DomainToFhir.TransactionBundles(prepared.Registry, prepared.Options)
                .Select(p => (p.Patient.RegistryId, PushInputs.UpsertUnconditionalCreates(p.Bundle)));
    }

    /// <summary>The transactions as push units named <c>patient ID</c>.</summary>
    public static IEnumerable<PushUnit> Units(PreparedRegistry prepared, Idempotency policy) =>
        Transactions(prepared, policy).Select(t => new PushUnit($"patient-{t.PatientId}", t.Bundle));
}
