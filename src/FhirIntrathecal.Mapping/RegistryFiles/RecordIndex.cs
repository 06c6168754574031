using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>One section of a registry (patients or administrations): its record kind, id column, columns and row parser.</summary>
internal sealed record RegistrySection<T>(string Kind, string IdColumn, string[] Columns, Func<FieldReader, T> Parse, Func<T, string>? IdOf);

internal static class RegistrySections
{
    public static RegistrySection<PatientRecord> Patients { get; } =
        new(RegistryRecords.Patient, "patient_id", RegistryCsv.PatientColumns, RowParsers.Patient, p => p.RegistryId);

    public static RegistrySection<AdministrationRecord> Administrations { get; } =
        new(RegistryRecords.Administration, "administration_id", RegistryCsv.AdministrationColumns, RowParsers.Administration, a => a.Id);
}

/// <summary>
/// The records read so far, by name, with where each stands; shared by the CSV and JSON readers so both refuse a
/// duplicate id the same way (a located error on the second record, which is left out).
/// </summary>
internal sealed class RecordIndex
{
    public Dictionary<string, RecordSource> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>The record's name for diagnostics: by its id when that id is usable, else by its line.</summary>
    public static string RecordName(string kind, string? rawId, int line) =>
        rawId is not null && RegistryRecords.IsValidId(rawId.Trim()) ? RegistryRecords.Name(kind, rawId.Trim()) : $"{kind} (line {line})";

    /// <summary>Registers a parsed record; null when its id is new, else the located duplicate error.</summary>
    public RegistryError? Add<T>(RegistrySection<T> section, T row, RecordSource source)
    {
        if (section.IdOf is null)
        {
            return null;
        }

        var name = RegistryRecords.Name(section.Kind, section.IdOf(row));
        if (Sources.TryAdd(name, source))
        {
            return null;
        }

        return source.Locate(section.IdColumn) with
        {
            Message = $"is already used by the {section.Kind} on line {Sources[name].Line}",
            Problem = RegistryProblem.Duplicate,
            Record = $"{name} (line {source.Line})",
        };
    }
}
