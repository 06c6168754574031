using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;
using static FhirIntrathecal.Mapping.Fhir.Itm;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>
/// Domain records → FHIR resources conforming to the IG. One transaction Bundle per patient,
/// every create conditional on a stable business identifier (<c>ifNoneExist</c>), every reference
/// an <c>urn:uuid</c> (or <c>Type/id</c>) derived from that identifier, so nothing needs a lookup.
/// </summary>
public static class DomainToFhir
{
    /// <summary>One transaction Bundle per patient, paired with that patient (urn:uuid references, conditional creates).</summary>
    public static IEnumerable<(PatientRecord Patient, Bundle Bundle)> TransactionBundles(FhirIntrathecal.Domain.Registry registry, ExportOptions options) =>
        PatientsWithAdministrations(registry).Select(p => (p.Patient, ToBundle(Resources(p.Patient, p.Administrations, options with { References = ReferenceStyle.UrnUuid }))));

    /// <summary>Each patient with its mapped resources (references per <see cref="ExportOptions.References"/>).</summary>
    public static IEnumerable<MappedPatient> Patients(FhirIntrathecal.Domain.Registry registry, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        return PatientsWithAdministrations(registry).Select(p => new MappedPatient(p.Patient.RegistryId, Resources(p.Patient, p.Administrations, options)));
    }

    /// <summary>All resources of all patients (references per <see cref="ExportOptions.References"/>), ids set to the stable uuid.</summary>
    public static IEnumerable<PlannedResource> AllResources(FhirIntrathecal.Domain.Registry registry, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return PatientsWithAdministrations(registry).SelectMany(p => Resources(p.Patient, p.Administrations, options));
    }

    private static IEnumerable<(PatientRecord Patient, List<AdministrationRecord> Administrations)> PatientsWithAdministrations(FhirIntrathecal.Domain.Registry registry)
    {
        // One pass to group, then one lookup per patient: O(n), not a scan per patient.
        var byPatient = new Dictionary<string, List<AdministrationRecord>>(StringComparer.Ordinal);
        foreach (var a in registry.Administrations)
        {
            if (!byPatient.TryGetValue(a.PatientId, out var list))
            {
                byPatient[a.PatientId] = list = [];
            }

            list.Add(a);
        }

        return registry.Patients.Select(p => (p, byPatient.GetValueOrDefault(p.RegistryId) ?? []));
    }

    public static Bundle ToBundle(IEnumerable<PlannedResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var bundle = new Bundle { Type = "transaction" };
        foreach (var r in resources)
        {
            var type = r.Resource.TypeInfo.Name;
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{r.Uuid}",
                Resource = r.Resource,
                Request = new Bundle.RequestComponent { Method = "POST", Url = type, IfNoneExist = r.IfNoneExist },
            });
        }

        return bundle;
    }

    public static IReadOnlyList<PlannedResource> Resources(PatientRecord patient, IReadOnlyList<AdministrationRecord> administrations, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(administrations);
        ArgumentNullException.ThrowIfNull(options);
        var b = new ResourceBuilder(options.References);
        var patientRecord = RegistryFiles.RegistryRecords.Name(RegistryFiles.RegistryRecords.Patient, patient.RegistryId);
        var patientRef = b.Add(PatientResource(patient), "patient", patient.RegistryId);
        var conditionRef = b.Add(ConditionResource(patient, patientRef), "condition", patient.RegistryId);
        var studyRef = b.Add(StudyResource(), "study", StudyIdentifier);
        b.Add(new ResearchSubject { Meta = Meta("itm-registry-subject"), Identifier = [Id("subject", patient.RegistryId)], Status = "on-study", Study = studyRef, Individual = patientRef }, "subject", patient.RegistryId);
        b.Attribute(0, patientRecord);
        foreach (var a in administrations)
        {
            var from = b.Planned.Count;
            AdministrationMapper.Add(b, a, patientRef, conditionRef, studyRef);
            b.Attribute(from, RegistryFiles.RegistryRecords.Name(RegistryFiles.RegistryRecords.Administration, a.Id));
        }

        var provenance = new Provenance
        {
            Meta = Meta("itm-import-provenance"),
            Target = b.Created.Select(r => r.Clone()).ToList(),
            Recorded = options.Recorded.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Activity = Concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create"),
            Agent = [new Provenance.AgentComponent { Type = Concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler"), Who = new Reference { Display = "fhir-intrathecal convert" } }],
            Entity = [new Provenance.EntityComponent { Role = "source", What = new Reference { Display = options.Source } }],
        };

        // A Provenance per import of this content: its id mixes the patient and a hash of what was imported (not the
        // clock), so importing the same registry again names the same Provenance instead of adding one.
        b.Add(provenance, "provenance", $"{patient.RegistryId}@{ContentHash(patient, administrations)}", conditional: false);
        b.Attribute(b.Planned.Count - 1, patientRecord);
        return b.Planned;
    }

    /// <summary>A hash of the patient's registry rows (their canonical text), the same whichever reference style is written.</summary>
    private static string ContentHash(PatientRecord patient, IReadOnlyList<AdministrationRecord> administrations)
    {
        var rows = administrations.Select(RegistryFiles.RowFormatters.Administration).Prepend(RegistryFiles.RowFormatters.Patient(patient));
        var text = string.Join('\n', rows.Select(r => string.Join('\u001f', r)));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    private static Patient PatientResource(PatientRecord p) => PatientResource(p.RegistryId, p.Sex, p.BirthYear);

    /// <summary>The pseudonymous registry patient (itm-patient), shared by the single-shot and the pump mapping.</summary>
    internal static Patient PatientResource(string registryId, Sex sex, int birthYear) => new()
    {
        Meta = Meta("itm-patient"),
        Identifier = [Id("patient", registryId)],
        Gender = sex == Sex.Male ? "male" : "female",
        BirthDate = new Date(birthYear.ToString("0000", CultureInfo.InvariantCulture)),
    };

    private static Condition ConditionResource(PatientRecord p, Reference patient)
    {
        var code = p.Diagnosis.Kind == DiagnosisKind.ChronicLowBackPain
            ? new CodeableConcept { Coding = [Coding(Sct, "278860009", "Chronic low back pain"), Coding(Icd10, "M54.5", "Low back pain")] }
            : new CodeableConcept { Coding = [Coding(Sct, "27151001", "Post-laminectomy syndrome"), Coding(Icd10, "M96.1", "Postlaminectomy syndrome, not elsewhere classified")] };
        return new Condition
        {
            Meta = Meta("itm-condition"),
            Identifier = [Id("condition", p.RegistryId)],
            ClinicalStatus = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            VerificationStatus = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            Category = [Concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
            Code = code,
            Subject = patient,
            Onset = p.Diagnosis.OnsetYear is { } y ? new FhirDateTime(y.ToString("0000", CultureInfo.InvariantCulture)) : null,
        };
    }

    private static ResearchStudy StudyResource() => new()
    {
        Meta = Meta("itm-registry-study"),
        Identifier = [Id("study", StudyIdentifier)],
        Title = "Single-shot intrathecal midazolam registry",
        Status = "active",
        Condition = [Concept(Sct, "278860009", "Chronic low back pain"), Concept(Sct, "27151001", "Post-laminectomy syndrome")],
    };
}
