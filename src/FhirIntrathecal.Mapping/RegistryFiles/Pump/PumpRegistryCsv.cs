using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.RegistryFiles.Pump;

/// <summary>What the pump reader returns: the records that parsed, a located error for each row that did not, and where each parsed record stands.</summary>
public sealed record PumpRegistryReadResult(PumpRegistry Registry, IReadOnlyList<RegistryError> Errors)
{
    /// <summary>Parsed records by name (<c>implant P001-I1</c>, <c>refill P001-I1-R02</c>; <see cref="RegistryRecords.Name"/>).</summary>
    public IReadOnlyDictionary<string, RecordSource> Sources { get; init; } = new Dictionary<string, RecordSource>();
}

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

    /// <summary>Every file of the layout, the marker first.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
    [
        PumpRows.Implants.File, PumpRows.Patients.File, PumpRows.Trials.File, PumpRows.Programmes.File, PumpRows.Refills.File,
        PumpRows.Interrogations.File, PumpRows.Outcomes.File, PumpRows.Events.File,
    ];

    public static PumpRegistryReadResult ReadFolder(string folder) =>
        Read(file => File.Exists(Path.Combine(folder, file)) ? File.OpenText(Path.Combine(folder, file)) : null, file => Path.Combine(folder, file));

    /// <summary>
    /// Reads the tables from wherever <paramref name="open"/> finds them (a folder, the parts of a multipart body; null =
    /// absent), naming each file in errors by <paramref name="name"/>. Record names are <c>kind id</c>; an id used twice
    /// in one table is a located error on the second row.
    /// </summary>
    public static PumpRegistryReadResult Read(Func<string, TextReader?> open, Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(name);
        var errors = new List<RegistryError>();
        var index = new RecordIndex();
        List<T> Read<T>(PumpTable<T> table, bool required)
        {
            var path = name(table.File);
            using var text = open(table.File);
            if (text is null)
            {
                if (required)
                {
                    errors.Add(new RegistryError(path, 0, "(file)", "is required in a pump registry") { Problem = RegistryProblem.Structure });
                }

                return [];
            }

            return RegistryCsv.ReadRows(text, path, table.AsSection(), errors, index);
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
        return new PumpRegistryReadResult(registry, errors) { Sources = index.Sources };
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
