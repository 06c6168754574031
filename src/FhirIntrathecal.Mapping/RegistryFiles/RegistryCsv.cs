using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>
/// The registry CSV layout (documented in docs/registry-format.md): a folder with
/// <c>patients.csv</c> and <c>administrations.csv</c>, comma separated, header row, UTF-8,
/// invariant-culture numbers, ISO dates. A row with a bad field is reported (file, line, column)
/// and skipped; the other rows still go through.
/// </summary>
public static class RegistryCsv
{
    public const string PatientsFile = "patients.csv";
    public const string AdministrationsFile = "administrations.csv";

    internal static readonly string[] PatientColumns = ["patient_id", "sex", "birth_year", "diagnosis", "diagnosis_onset_year"];

    internal static readonly string[] AdministrationColumns =
    [
        "administration_id", "patient_id", "date", "dose_mg", "product", "lot", "diluent", "volume_ml", "needle_gauge",
        "position", "level", "bed_rest_h", "stage", "weight_kg", "sedation", "nrs_baseline", "nrs_followup", "followup_date",
        "function_improved", "relief", "relief_weeks", "neurotox_bladder", "neurotox_bowel", "neurotox_radiculopathy", "adverse_events",
    ];

    private static readonly CsvConfiguration WriteConfig = new(CultureInfo.InvariantCulture);

    public static RegistryReadResult ReadFolder(string folder)
    {
        var patientsPath = Path.Combine(folder, PatientsFile);
        var adminsPath = Path.Combine(folder, AdministrationsFile);
        using var p = File.OpenText(patientsPath);
        using var a = File.OpenText(adminsPath);
        return Read(p, patientsPath, a, adminsPath);
    }

    public static RegistryReadResult Read(TextReader patients, string patientsName, TextReader administrations, string administrationsName)
    {
        var errors = new List<RegistryError>();
        var index = new RecordIndex();
        var pats = ReadRows(patients, patientsName, RegistrySections.Patients, errors, index);
        var admins = ReadRows(administrations, administrationsName, RegistrySections.Administrations, errors, index);
        return new RegistryReadResult(new FhirIntrathecal.Domain.Registry(new(pats), new(admins)), errors) { Sources = index.Sources };
    }

    /// <summary>Rows of one section of any registry layout (the pump registry's tables too): located row errors, duplicates refused by <paramref name="index"/>.</summary>
    internal static List<T> ReadRows<T>(TextReader text, string file, RegistrySection<T> section, List<RegistryError> errors, RecordIndex index)
    {
        var rows = new List<T>();
        var badData = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = false, BadDataFound = _ => badData = true };
        using var csv = new CsvReader(text, config);
        try
        {
            if (!csv.Read() || !csv.ReadHeader())
            {
                errors.Add(new RegistryError(file, 1, "(header)", "the file is empty") { Position = 1, Problem = RegistryProblem.Structure });
                return rows;
            }

            var header = csv.HeaderRecord!;
            var missing = section.Columns.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToArray();
            if (missing.Length > 0)
            {
                errors.Add(new RegistryError(file, 1, string.Join(",", missing), "missing column(s) in the header") { Position = 1, Problem = RegistryProblem.Structure });
                return rows;
            }

            while (csv.Read())
            {
                // Parser.RawRow is the 1-based physical line where this record starts (quoted newlines included).
                var line = csv.Parser.RawRow;
                var raw = csv.Parser.RawRecord;
                _ = csv.Parser.Record; // fields are parsed lazily: this raises BadDataFound for this row, now
                RegistryError Locate(string column, string message) => CsvLocation.Locate(file, line, raw, Array.IndexOf(header, column), column, message);
                var name = RecordIndex.RecordName(section.Kind, csv.Parser.Count > Array.IndexOf(header, section.IdColumn) ? csv.GetField(section.IdColumn) : null, line);
                if (badData || csv.Parser.Count != header.Length)
                {
                    var problem = badData ? "a quote inside an unquoted field (quote the whole field and double inner quotes)"
                        : $"the row has {csv.Parser.Count} fields, the header {header.Length}";
                    errors.Add(CsvLocation.Locate(file, line, raw, badData ? -1 : Math.Min(csv.Parser.Count, header.Length), "(row)", problem) with { Problem = RegistryProblem.Malformed, Record = name });
                    badData = false;
                    continue;
                }

                var reader = new FieldReader(column => csv.GetField(column) ?? string.Empty, Locate);
                var row = section.Parse(reader);
                var error = reader.Error ?? index.Add(section, row, new RecordSource(file, line, column => Locate(column, string.Empty)));
                if (error is not null)
                {
                    errors.Add(error with { Record = error.Record ?? name });
                }
                else
                {
                    rows.Add(row);
                }
            }
        }
        catch (CsvHelperException e)
        {
            // The CSV cannot be read past this point (e.g. a quoted field never closed): one located error, rows so far kept.
            var line = e.Context?.Parser?.RawRow ?? 0;
            errors.Add(new RegistryError(file, (int)line, "(row)", "the CSV cannot be read from here on (unbalanced quotes?)") { Position = 1, Problem = RegistryProblem.Malformed, Record = $"{section.Kind} (line {line})" });
        }

        return rows;
    }

    public static void WriteFolder(FhirIntrathecal.Domain.Registry registry, string folder)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Directory.CreateDirectory(folder);
        using (var w = new StreamWriter(Path.Combine(folder, PatientsFile)))
        {
            Write(w, PatientColumns, registry.Patients.Select(RowFormatters.Patient));
        }

        using (var w = new StreamWriter(Path.Combine(folder, AdministrationsFile)))
        {
            Write(w, AdministrationColumns, registry.Administrations.Select(RowFormatters.Administration));
        }
    }

    internal static void Write(TextWriter writer, string[] columns, IEnumerable<string[]> rows)
    {
        using var csv = new CsvWriter(writer, WriteConfig, leaveOpen: true);
        foreach (var c in columns)
        {
            csv.WriteField(c);
        }

        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var field in row)
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }
    }
}
