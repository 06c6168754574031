using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// The one registry flow every host uses (<c>convert</c>, <c>push</c>, <c>demo</c>, the service inbox and
/// <c>/intake/registry</c>): read with located errors → domain rules → map → validate against the embedded IG. A record
/// that does not parse, breaks an error-level rule or fails validation is refused with its located diagnostic (an
/// administration whose patient is refused goes with it); everything else is accepted; warnings are reported and kept.
/// </summary>
public sealed class RegistryExchange(FhirValidator validator)
{
    /// <summary>The exchange with R4 core, HL7 terminology and our IG (always loaded, embedded in the Mapping assembly).</summary>
    public static RegistryExchange CreateDefault(PackageCache? cache = null) => new(IntrathecalIg.CreateValidator(cache));

    /// <summary>Reads the registry at <paramref name="path"/>; an unreadable input is one REGISTRY_INPUT diagnostic.</summary>
    public PreparedRegistry Prepare(string path, DateTimeOffset recorded, string? source = null, CancellationToken ct = default)
    {
        RegistryReadResult read;
        try
        {
            read = RegistryInput.Read(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var options = new ExportOptions(source ?? path, recorded);
            var detail = e is ArgumentException ? "expected a folder with patients.csv + administrations.csv or registry.json, or a .json registry file" : e.Message;
            return new PreparedRegistry([], [], [], [DiagnosticCatalog.RegistryInput.At(path, 0, 0, detail)], new Registry(new([]), new([])), options);
        }

        return Prepare(read, new ExportOptions(source ?? path, recorded), ct);
    }

    public PreparedRegistry Prepare(RegistryReadResult read, ExportOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<Diagnostic>();
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in read.Errors)
        {
            diagnostics.Add(DiagnosticCatalog.For(e.Problem).At(e.File, e.Line, e.Position, $"'{e.Column}' {e.Message}", e.Path ?? e.Column, e.Record));
            refused.Add(e.Record ?? e.File);
        }

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
            var failed = Validate(read, mapped, diagnostics, seen);
            if (failed.Count == 0)
            {
                break;
            }

            // Refuse what failed and map again: the Provenance and references of the rest no longer name it.
            refused.UnionWith(failed);
            patients.RemoveAll(p => failed.Contains(RegistryRecords.Name(RegistryRecords.Patient, p.RegistryId)));
            administrations.RemoveAll(a => failed.Contains(Name(a)));
        }

        var accepted = mapped.Select(m => RegistryRecords.Name(RegistryRecords.Patient, m.Patient.RegistryId))
            .Concat(administrations.Select(Name)).ToList();
        var sorted = diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
        return new PreparedRegistry(mapped, accepted, refused.Order(StringComparer.Ordinal).ToList(), sorted, new Registry(new(patients), new(administrations)), options);
    }

    /// <summary>Validates every mapped resource; returns the records with error-level findings, adds new findings as diagnostics.</summary>
    private HashSet<string> Validate(RegistryReadResult read, List<MappedPatient> mapped, List<Diagnostic> diagnostics, HashSet<(string, string, string?)> seen)
    {
        var planned = mapped.SelectMany(m => m.Resources).ToList();
        var results = new ValidationResult[planned.Count];
        Parallel.For(0, planned.Count, i => results[i] = validator.Validate(planned[i].Resource));
        var failed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < planned.Count; i++)
        {
            foreach (var issue in results[i].Issues.Where(x => x.Severity is IssueSeverity.Error or IssueSeverity.Fatal or IssueSeverity.Warning))
            {
                var error = issue.Severity != IssueSeverity.Warning;
                var record = planned[i].Record;
                if (error)
                {
                    failed.Add(record);
                }

                if (seen.Add((record, issue.MessageId, issue.Expression)))
                {
                    var code = error ? DiagnosticCatalog.ValidationError : DiagnosticCatalog.ValidationWarning;
                    var at = Locate(read, code, record, IdColumn(record)) with { Path = issue.Expression };
                    diagnostics.Add(at with { Message = $"{code.Message}: {issue.MessageId} on {planned[i].Resource.TypeInfo.Name}" });
                }
            }
        }

        return failed;
    }

    private static string Name(AdministrationRecord a) => RegistryRecords.Name(RegistryRecords.Administration, a.Id);

    private static string IdColumn(string record) =>
        record.StartsWith(RegistryRecords.Patient + " ", StringComparison.Ordinal) ? "patient_id" : "administration_id";

    /// <summary>A diagnostic at <paramref name="field"/> of <paramref name="record"/> (its file, line and column).</summary>
    private static Diagnostic Locate(RegistryReadResult read, DiagnosticCode code, string record, string field)
    {
        if (!read.Sources.TryGetValue(record, out var source))
        {
            return code.At(string.Empty, 0, 0, $"'{field}'", field, record);
        }

        var at = source.Locate(field);
        return code.At(at.File, at.Line, at.Position, $"'{field}'", at.Path ?? field, record);
    }
}
