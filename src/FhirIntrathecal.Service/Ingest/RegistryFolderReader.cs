using System.Runtime.CompilerServices;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// A registry export dropped into the inbox as a folder holding patients.csv and administrations.csv, or registry.json
/// (docs/registry-format.md), or posted to <c>/intake/registry</c>: read with located errors, checked by the domain
/// rules, mapped to one transaction Bundle per patient (conditional creates on stable business identifiers). A record
/// that does not parse, or an administration breaking an error-level rule, is reported and left out; everything else
/// goes through.
/// </summary>
public sealed class RegistryFolderReader(IResourceValidator validator)
{
    public static bool IsRegistryFolder(string path) =>
        File.Exists(Path.Combine(path, RegistryJson.FileName))
        || (File.Exists(Path.Combine(path, RegistryCsv.PatientsFile)) && File.Exists(Path.Combine(path, RegistryCsv.AdministrationsFile)));

    public async IAsyncEnumerable<InputRecord> ReadAsync(string folder, string correlationId, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var name = Path.GetFileName(folder);
        RegistryReadResult read;
        try
        {
            read = RegistryInput.Read(folder);
        }
        catch (InvalidDataException e)
        {
            read = new RegistryReadResult(new Registry(new([]), new([])), [new RegistryError(folder, 0, string.Empty, e.Message)]);
        }

        // The recorded time comes from the files, not the clock, so re-reading the folder yields identical items.
        var files = RegistryInput.Files(folder);
        var recorded = files.Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.UnixEpoch).Max();
        var rulesFile = Path.Combine(name, Path.GetFileName(files[^1]));
        foreach (var record in Map(read, name, rulesFile, new DateTimeOffset(recorded, TimeSpan.Zero), correlationId, ct))
        {
            yield return record;
        }
    }

    /// <summary>
    /// A read registry → its located errors (row errors, then error-level rule violations, in one failed record when
    /// there are any) and one record per patient with the transaction Bundle of everything that passed.
    /// </summary>
    public IEnumerable<InputRecord> Map(RegistryReadResult read, string name, string rulesFile, DateTimeOffset recorded, string correlationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        var errors = read.Errors.Select(e => new InputError(Path.Combine(name, Path.GetFileName(e.File)), e.Line, e.Position, e.Path ?? e.Column, "REGISTRY_ROW", e.Message)).ToList();

        var violations = DomainRules.Check(read.Registry).Where(v => v.Severity == RuleSeverity.Error).ToList();
        var rejected = violations.Select(v => v.RecordId).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(violations.Select(v => new InputError(rulesFile, 0, 0, v.RecordId, "RULE_" + v.Code.ToUpperInvariant(), v.Message)));
        if (errors.Count > 0)
        {
            yield return InputRecord.Failed([.. errors]);
        }

        var registry = read.Registry with { Administrations = new(read.Registry.Administrations.Where(a => !rejected.Contains(a.Id))) };
        var options = new ExportOptions(name, recorded);
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
