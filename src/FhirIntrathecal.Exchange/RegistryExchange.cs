using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// The one registry flow every host uses (<c>convert</c>, <c>push</c>, <c>demo</c>, the service inbox and
/// <c>/intake/registry</c>): read with located errors → domain rules → map → validate against the embedded IG. A record
/// that does not parse, breaks an error-level rule or fails validation is refused with its located diagnostic (an
/// administration whose patient is refused goes with it); everything else is accepted; warnings are reported and kept.
/// </summary>
public sealed partial class RegistryExchange(FhirValidator validator)
{
    /// <summary>The exchange with R4 core, HL7 terminology and our IG (always loaded, embedded in the Mapping assembly).</summary>
    public static RegistryExchange CreateDefault(PackageCache? cache = null) => new(IntrathecalIg.CreateValidator(cache));

    /// <summary>Reads the registry at <paramref name="path"/> (single-shot or pump, by its layout); an unreadable input is one REGISTRY_INPUT diagnostic.</summary>
    public PreparedRegistry Prepare(string path, DateTimeOffset recorded, string? source = null, CancellationToken ct = default)
    {
        RegistryReadResult read;
        try
        {
            if (RegistryInput.Detect(path) == RegistryLayout.PumpCsv)
            {
                return Prepare(PumpRegistryCsv.ReadFolder(path), new ExportOptions(source ?? path, recorded), ct);
            }

            read = RegistryInput.Read(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var options = new ExportOptions(source ?? path, recorded);
            var detail = e is ArgumentException ? "expected a folder with patients.csv + administrations.csv or registry.json, or a .json registry file" : e.Message;
            return new PreparedRegistry([], [], [], [DiagnosticCatalog.RegistryInput.At(path, 0, 0, detail)], new Registry(new([]), new([])), options) { ReadErrors = 1 };
        }

        return Prepare(read, new ExportOptions(source ?? path, recorded), ct);
    }

    public PreparedRegistry Prepare(RegistryReadResult read, ExportOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(options);
        var (diagnostics, refused) = ResourceChecks.ReadErrors(read.Errors);
        var readErrors = diagnostics.Count;

        foreach (var v in DomainRules.Check(read.Registry))
        {
            // Duplicates are refused by the reader, administrations of a missing patient below, each on its own row.
            if (v.Code is "unknown-patient" or "duplicate-patient")
            {
                continue;
            }

            var (code, field) = DiagnosticCatalog.ForRule(v.Code);
            var record = RegistryRecords.Name(RegistryRecords.Administration, v.RecordId);
            diagnostics.Add(Locate(read, code, record, field));
            if (code.Severity == DiagnosticSeverity.Error)
            {
                refused.Add(record);
            }
        }

        var patients = read.Registry.Patients.ToList();
        var administrations = read.Registry.Administrations.Where(a => !refused.Contains(Name(a))).ToList();
        var mapped = new List<MappedPatient>();
        var seen = new HashSet<(string Record, string Code, string? Path)>();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var patientIds = patients.Select(p => p.RegistryId).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in administrations.Where(a => !patientIds.Contains(a.PatientId)))
            {
                diagnostics.Add(Locate(read, DiagnosticCatalog.PatientRefused, Name(orphan), "patient_id"));
                refused.Add(Name(orphan));
            }

            administrations.RemoveAll(a => !patientIds.Contains(a.PatientId));
            var registry = new Registry(new(patients), new(administrations));
            mapped = DomainToFhir.Patients(registry, options with { References = ReferenceStyle.Relative }).ToList();
            var failed = ResourceChecks.Validate(validator, read.Sources, mapped, IdColumn, diagnostics, seen);
            if (failed.Count == 0)
            {
                break;
            }

            // Refuse what failed and map again: the Provenance and references of the rest no longer name it.
            refused.UnionWith(failed);
            patients.RemoveAll(p => failed.Contains(RegistryRecords.Name(RegistryRecords.Patient, p.RegistryId)));
            administrations.RemoveAll(a => failed.Contains(Name(a)));
        }

        var accepted = mapped.Select(m => RegistryRecords.Name(RegistryRecords.Patient, m.PatientId))
            .Concat(administrations.Select(Name)).ToList();
        var sorted = ResourceChecks.Sorted(diagnostics);
        return new PreparedRegistry(mapped, accepted, refused.Order(StringComparer.Ordinal).ToList(), sorted, new Registry(new(patients), new(administrations)), options) { ReadErrors = readErrors };
    }

    private static string Name(AdministrationRecord a) => RegistryRecords.Name(RegistryRecords.Administration, a.Id);

    private static string IdColumn(string record) =>
        record.StartsWith(RegistryRecords.Patient + " ", StringComparison.Ordinal) ? "patient_id" : "administration_id";

    private static Diagnostic Locate(RegistryReadResult read, DiagnosticCode code, string record, string field) => ResourceChecks.Locate(read.Sources, code, record, field);
}
