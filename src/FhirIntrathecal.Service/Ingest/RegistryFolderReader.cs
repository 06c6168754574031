using System.Runtime.CompilerServices;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// A registry export dropped into the inbox as a folder holding patients.csv and administrations.csv: read with
/// located errors, checked by the domain rules, mapped to one transaction Bundle per patient (conditional creates on
/// stable business identifiers). A row that does not parse, or an administration breaking an error-level rule, is
/// reported and left out; everything else goes through.
/// </summary>
public sealed class RegistryFolderReader(IResourceValidator validator)
{
    public static bool IsRegistryFolder(string path) =>
        File.Exists(Path.Combine(path, RegistryCsv.PatientsFile)) && File.Exists(Path.Combine(path, RegistryCsv.AdministrationsFile));

    public async IAsyncEnumerable<InputRecord> ReadAsync(string folder, string correlationId, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var name = Path.GetFileName(folder);
        var read = RegistryCsv.ReadFolder(folder);
        var errors = read.Errors.Select(e => new InputError(Path.Combine(name, Path.GetFileName(e.File)), e.Line, 0, e.Column, "REGISTRY_ROW", e.Message)).ToList();

        var violations = DomainRules.Check(read.Registry).Where(v => v.Severity == RuleSeverity.Error).ToList();
        var rejected = violations.Select(v => v.RecordId).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(violations.Select(v => new InputError(Path.Combine(name, RegistryCsv.AdministrationsFile), 0, 0, v.RecordId, "RULE_" + v.Code.ToUpperInvariant(), v.Message)));
        if (errors.Count > 0)
        {
            yield return InputRecord.Failed([.. errors]);
        }

        var registry = read.Registry with { Administrations = new(read.Registry.Administrations.Where(a => !rejected.Contains(a.Id))) };

        // The recorded time comes from the files, not the clock, so re-reading the folder yields identical items.
        var recorded = new[] { RegistryCsv.PatientsFile, RegistryCsv.AdministrationsFile }
            .Select(f => File.GetLastWriteTimeUtc(Path.Combine(folder, f))).Max();
        var options = new ExportOptions(name, new DateTimeOffset(recorded, TimeSpan.Zero));
        var index = 0;
        foreach (var bundle in DomainToFhir.TransactionBundles(registry, options))
        {
            ct.ThrowIfCancellationRequested();
            var patientId = registry.Patients[index++].RegistryId;
            var problems = bundle.Entry.Where(e => e.Resource is not null).SelectMany(e => validator.Validate(e.Resource!, name, 0)).ToArray();
            yield return problems.Length > 0
                ? InputRecord.Failed(problems)
                : InputRecord.Of([OutboxItemFactory.ForTransaction(bundle, $"{name}#patient {patientId}", correlationId)]);
        }
    }
}
