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

/// <summary>Prepared work → transactions per patient, in the chosen idempotent form.</summary>
public static class Delivery
{
    /// <summary>
    /// Upserts go in transactions of at most this many entries (servers cap updates per transaction; the sandbox's
    /// engine refuses more than 50). Each entry names its own stable id, so a patient split over several transactions
    /// still references correctly. Conditional transactions stay one per patient (urn:uuid references bind them).
    /// </summary>
    public const int MaxUpsertsPerTransaction = 50;

    public static IEnumerable<(string PatientId, Bundle Bundle)> Transactions(PreparedRegistry prepared, Idempotency policy)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return policy == Idempotency.Upsert
            ? prepared.Patients.SelectMany(m => m.Resources.Select(r => r.Resource).Chunk(MaxUpsertsPerTransaction)
                .Select(chunk => (m.PatientId, PushInputs.Transaction(chunk))))
            : prepared.TransactionBundles().Select(p => (p.PatientId, PushInputs.UpsertUnconditionalCreates(p.Bundle)));
    }

    /// <summary>The transactions as push units named <c>patient-ID#n</c> (unique, so a parked one never overwrites another).</summary>
    public static IEnumerable<PushUnit> Units(PreparedRegistry prepared, Idempotency policy) =>
        Transactions(prepared, policy).Select((t, i) => new PushUnit($"patient-{t.PatientId}#{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}", t.Bundle));
}
