using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.RegistryFiles.Pump;

/// <summary>What the pump reader returns: the records that parsed, and a located error for each row that did not.</summary>
public sealed record PumpRegistryReadResult(PumpRegistry Registry, IReadOnlyList<RegistryError> Errors);

/// <summary>
/// The pump registry CSV layout (docs/registry-format.md, "Pump registry"): a folder with <c>implants.csv</c> (which marks
/// it as a pump registry), <c>patients.csv</c> and, when there are any, <c>trials.csv</c>, <c>programmes.csv</c>,
/// <c>refills.csv</c>, <c>interrogations.csv</c>, <c>outcomes.csv</c>, <c>events.csv</c>. Same conventions and reader as
/// the single-shot CSV: header row, invariant numbers, ISO dates, yes/no, a bad row reported (file, line, column) and
/// skipped while the other rows go through.
/// </summary>
public static class PumpRegistryCsv
{
    /// <summary>The file whose presence marks a folder as a pump registry.</summary>
    public const string MarkerFile = "implants.csv";

    public static bool IsPumpRegistry(string folder) => File.Exists(Path.Combine(folder, MarkerFile));

    public static PumpRegistryReadResult ReadFolder(string folder)
    {
        var errors = new List<RegistryError>();
        List<T> Read<T>(PumpTable<T> table, bool required)
        {
            var path = Path.Combine(folder, table.File);
            if (!File.Exists(path))
            {
                if (required)
                {
                    errors.Add(new RegistryError(path, 0, "(file)", "is required in a pump registry"));
                }

                return [];
            }

            using var text = File.OpenText(path);
            return RegistryCsv.ReadRows(text, path, table.Columns, errors, table.Parse);
        }

        var registry = new PumpRegistry(
            new(Read(PumpRows.Patients, true)),
            new(Read(PumpRows.Trials, false)),
            new(Read(PumpRows.Implants, true)),
            new(Read(PumpRows.Programmes, false)),
            new(Read(PumpRows.Refills, false)),
            new(Read(PumpRows.Interrogations, false)),
            new(Read(PumpRows.Outcomes, false)),
            new(Read(PumpRows.Events, false)));
        return new PumpRegistryReadResult(registry, errors);
    }

    public static void WriteFolder(PumpRegistry registry, string folder)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Directory.CreateDirectory(folder);
        void Write<T>(PumpTable<T> table, IEnumerable<T> rows)
        {
            using var w = new StreamWriter(Path.Combine(folder, table.File));
            RegistryCsv.Write(w, table.Columns, rows.Select(table.Format));
        }

        Write(PumpRows.Patients, registry.Patients);
        Write(PumpRows.Trials, registry.Trials);
        Write(PumpRows.Implants, registry.Implants);
        Write(PumpRows.Programmes, registry.Programmes);
        Write(PumpRows.Refills, registry.Refills);
        Write(PumpRows.Interrogations, registry.Interrogations);
        Write(PumpRows.Outcomes, registry.Outcomes);
        Write(PumpRows.Events, registry.Events);
    }
}
