using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>
/// Pulled FHIR resources → domain records. References are resolved through dictionaries keyed by
/// fullUrl (<c>urn:uuid:…</c>) and <c>Type/id</c>; observations and adverse events are grouped by the
/// administration they point to in one pass, so the whole import is linear in the number of resources.
/// </summary>
public static class FhirToDomain
{
    /// <param name="resources">Resources with the fullUrl they had in a Bundle (null when read from NDJSON or a server).</param>
    public static FhirIntrathecal.Domain.Registry Read(IEnumerable<(Resource Resource, string? FullUrl)> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var index = new ReferenceIndex(resources);
        var all = index.All;
        T? Resolve<T>(Reference? reference)
            where T : Resource => index.Resolve<T>(reference);

        var observations = new Dictionary<MedicationAdministration, List<Observation>>(ReferenceEqualityComparer.Instance);
        var adverse = new Dictionary<MedicationAdministration, List<AdverseEvent>>(ReferenceEqualityComparer.Instance);
        var conditions = new Dictionary<Patient, Condition>(ReferenceEqualityComparer.Instance);
        foreach (var r in all)
        {
            switch (r)
            {
                case Observation o when o.PartOf.Count > 0 && Resolve<MedicationAdministration>(o.PartOf[0]) is { } ma:
                    GetList(observations, ma).Add(o);
                    break;
                case AdverseEvent e when e.SuspectEntity.Count > 0 && Resolve<MedicationAdministration>(e.SuspectEntity[0].Instance) is { } ma:
                    GetList(adverse, ma).Add(e);
                    break;
                case Condition c when Resolve<Patient>(c.Subject) is { } p:
                    conditions[p] = c;
                    break;
            }
        }

        var patients = new List<PatientRecord>();
        var patientIds = new Dictionary<Patient, string>(ReferenceEqualityComparer.Instance);
        foreach (var p in all.OfType<Patient>())
        {
            var record = ReadPatient(p, conditions.GetValueOrDefault(p));
            patientIds[p] = record.RegistryId;
            patients.Add(record);
        }

        var admins = new List<AdministrationRecord>();
        foreach (var ma in all.OfType<MedicationAdministration>())
        {
            var patient = Resolve<Patient>(ma.Subject) is { } p ? patientIds[p] : throw new InvalidDataException($"MedicationAdministration {BusinessId(ma.Identifier)} has no resolvable subject");
            var weight = ma.SupportingInformation.Select(Resolve<Observation>).FirstOrDefault(o => o is not null);
            admins.Add(AdministrationReader.Read(ma, patient, Resolve<Medication>(ma.Medication as Reference), weight, observations.GetValueOrDefault(ma) ?? [], adverse.GetValueOrDefault(ma) ?? []));
        }

        return new FhirIntrathecal.Domain.Registry(new(patients), new(admins));
    }

    private static List<TValue> GetList<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        return list;
    }

    internal static string BusinessId(IEnumerable<Identifier> ids) => ids.FirstOrDefault()?.Value?.Value ?? "(no identifier)";

    private static PatientRecord ReadPatient(Patient p, Condition? c)
    {
        var id = p.Identifier.FirstOrDefault(i => i.System?.Value == Itm.Sid("patient"))?.Value?.Value
            ?? throw new InvalidDataException("Patient without a registry identifier");
        var kind = Terms.Diagnosis.From(c?.Code) ?? throw new InvalidDataException($"patient {id}: no Condition with a known diagnosis code");
        int? onset = c?.Onset is FhirDateTime dt && dt.Value is { Length: >= 4 } s ? int.Parse(s[..4], CultureInfo.InvariantCulture) : null;
        return new PatientRecord(
            id,
            p.Gender?.Value == "male" ? Sex.Male : Sex.Female,
            int.Parse(p.BirthDate?.Value?[..4] ?? throw new InvalidDataException($"patient {id}: no birth date"), CultureInfo.InvariantCulture),
            new Diagnosis(kind, onset));
    }
}
