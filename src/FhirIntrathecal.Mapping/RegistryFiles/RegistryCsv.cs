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

    private static readonly CsvConfiguration Config = new(CultureInfo.InvariantCulture) { DetectColumnCountChanges = false };

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
        var pats = ReadRows(patients, patientsName, PatientColumns, errors, RowParsers.Patient);
        var admins = ReadRows(administrations, administrationsName, AdministrationColumns, errors, RowParsers.Administration);
        return new RegistryReadResult(new FhirIntrathecal.Domain.Registry(new(pats), new(admins)), errors);
    }

    internal static List<T> ReadRows<T>(TextReader text, string file, string[] columns, List<RegistryError> errors, Func<FieldReader, T> parse)
    {
        var rows = new List<T>();
        using var csv = new CsvReader(text, Config);
        if (!csv.Read() || !csv.ReadHeader())
        {
            errors.Add(new RegistryError(file, 1, "(header)", "the file is empty"));
            return rows;
        }

        var missing = columns.Where(c => !csv.HeaderRecord!.Contains(c, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            errors.Add(new RegistryError(file, 1, string.Join(",", missing), "missing column(s) in the header"));
            return rows;
        }

        while (csv.Read())
        {
            // Parser.RawRow is the 1-based physical line where this record starts (quoted newlines included).
            var reader = new FieldReader(name => csv.GetField(name) ?? string.Empty, file, csv.Parser.RawRow);
            var row = parse(reader);
            if (reader.Error is { } error)
            {
                errors.Add(error);
            }
            else
            {
                rows.Add(row);
            }
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
        using var csv = new CsvWriter(writer, Config, leaveOpen: true);
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
