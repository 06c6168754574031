using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// The pump registry down the same flow: read with located errors → <see cref="PumpRules"/> → map (<see cref="PumpToFhir"/>)
/// → validate against R4 core and the IG. A refused record takes the records that hang on it (an implant's programmes,
/// refills and interrogations; a patient's trials, implants, outcomes and events), each with its own located
/// REGISTRY_REFERENCE_REFUSED; the rest is accepted. Records are named <c>kind id</c> (<c>refill P001-I1-R02</c>).
/// </summary>
public sealed partial class RegistryExchange
{
    public PreparedRegistry Prepare(PumpRegistryReadResult read, ExportOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(options);
        var (diagnostics, refused) = ResourceChecks.ReadErrors(read.Errors);
        var readErrors = diagnostics.Count;

        var kinds = PumpRecordKinds(read.Registry);
        foreach (var v in PumpRules.Check(read.Registry))
        {
            // Duplicates are refused by the reader, records of a missing patient or implant below, each on its own row.
            if (v.Code is "pump-unknown-patient" or "pump-unknown-implant" or "pump-duplicate-patient" or "pump-duplicate-implant")
            {
                continue;
            }

            var kind = kinds.GetValueOrDefault(v.RecordId, "record");
            var (code, field) = DiagnosticCatalog.ForPumpRule(v.Code, kind);
            var record = RegistryRecords.Name(kind, v.RecordId);
            diagnostics.Add(ResourceChecks.Locate(read.Sources, code, record, field));
            if (code.Severity == DiagnosticSeverity.Error)
            {
                refused.Add(record);
            }
        }

        var seen = new HashSet<(string, string, string?)>();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var registry = WithoutRefused(read, refused, diagnostics);
            var mapped = PumpToFhir.Patients(registry, options with { References = ReferenceStyle.Relative }).ToList();
            var failed = ResourceChecks.Validate(validator, read.Sources, mapped, IdColumn, diagnostics, seen);
            if (failed.Count == 0)
            {
                var accepted = PumpRecordKinds(registry).Select(k => RegistryRecords.Name(k.Value, k.Key)).ToList();
                return new PreparedRegistry(mapped, accepted, refused.Order(StringComparer.Ordinal).ToList(), ResourceChecks.Sorted(diagnostics), new Registry(new([]), new([])), options)
                {
                    Pump = registry,
                    ReadErrors = readErrors,
                };
            }

            // Refuse what failed and map again: references of the rest no longer name it.
            refused.UnionWith(failed);
        }

        static string IdColumn(string record) => record[..record.IndexOf(' ', StringComparison.Ordinal)] + "_id";
    }

    /// <summary>The registry without refused records and without the records that hang on them (each of those refused with a located diagnostic).</summary>
    private static PumpRegistry WithoutRefused(PumpRegistryReadResult read, HashSet<string> refused, List<Diagnostic> diagnostics)
    {
        var r = read.Registry;
        List<T> Keep<T>(IEnumerable<T> rows, string kind, Func<T, string> id, Func<T, (string Field, bool Present)[]> parents)
        {
            var kept = new List<T>();
            foreach (var row in rows)
            {
                var name = RegistryRecords.Name(kind, id(row));
                if (refused.Contains(name))
                {
                    continue;
                }

                if (parents(row).FirstOrDefault(p => !p.Present) is { Field: { } missing })
                {
                    refused.Add(name);
                    diagnostics.Add(ResourceChecks.Locate(read.Sources, DiagnosticCatalog.ReferenceRefused, name, missing));
                    continue;
                }

                kept.Add(row);
            }

            return kept;
        }

        var patients = Keep(r.Patients, RegistryRecords.Patient, p => p.RegistryId, _ => []).Select(p => p.RegistryId).ToHashSet(StringComparer.Ordinal);
        (string, bool) Patient(string id) => ("patient_id", patients.Contains(id));
        var implantRows = Keep(r.Implants, "implant", i => i.Id, i => [Patient(i.PatientId)]);
        var implants = implantRows.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        (string, bool) Implant(string? id) => ("implant_id", id is null || implants.Contains(id));
        return new PumpRegistry(
            new(r.Patients.Where(p => patients.Contains(p.RegistryId))),
            new(Keep(r.Trials, "trial", t => t.Id, t => [Patient(t.PatientId)])),
            new(implantRows),
            new(Keep(r.Programmes, "programme", p => p.Id, p => [Implant(p.ImplantId)])),
            new(Keep(r.Refills, "refill", f => f.Id, f => [Implant(f.ImplantId)])),
            new(Keep(r.Interrogations, "interrogation", q => q.Id, q => [Implant(q.ImplantId)])),
            new(Keep(r.Outcomes, "outcome", o => o.Id, o => [Patient(o.PatientId)])),
            new(Keep(r.Events, "event", e => e.Id, e => [Patient(e.PatientId), Implant(e.ImplantId)])));
    }

    /// <summary>Every record id of the registry → its kind (the first kind wins when two tables share an id).</summary>
    private static Dictionary<string, string> PumpRecordKinds(PumpRegistry r)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(IEnumerable<string> ids, string kind)
        {
            foreach (var id in ids)
            {
                kinds.TryAdd(id, kind);
            }
        }

        Add(r.Patients.Select(p => p.RegistryId), RegistryRecords.Patient);
        Add(r.Trials.Select(t => t.Id), "trial");
        Add(r.Implants.Select(i => i.Id), "implant");
        Add(r.Programmes.Select(p => p.Id), "programme");
        Add(r.Refills.Select(f => f.Id), "refill");
        Add(r.Interrogations.Select(q => q.Id), "interrogation");
        Add(r.Outcomes.Select(o => o.Id), "outcome");
        Add(r.Events.Select(e => e.Id), "event");
        return kinds;
    }
}
