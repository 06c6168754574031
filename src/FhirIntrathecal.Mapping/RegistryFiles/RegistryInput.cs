using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>The registry layouts (docs/registry-format.md): single-shot CSV files or one JSON file; the pump CSV tables.</summary>
public enum RegistryLayout
{
    Csv,
    Json,

    /// <summary>A pump registry: a folder with implants.csv (its marker), patients.csv and the other pump tables.</summary>
    PumpCsv,
}

/// <summary>
/// Where a registry is read from: a folder with patients.csv (+ administrations.csv), a folder with registry.json,
/// or a path to a .json registry file (a JSON object with "patients"). Picks the reader; both give the same result.
/// </summary>
public static class RegistryInput
{
    /// <summary>The layout at <paramref name="path"/>, or null when it is not a registry.</summary>
    public static RegistryLayout? Detect(string path)
    {
        if (Directory.Exists(path))
        {
            return File.Exists(Path.Combine(path, RegistryJson.FileName)) ? RegistryLayout.Json
                : PumpRegistryCsv.IsPumpRegistry(path) ? RegistryLayout.PumpCsv
                : File.Exists(Path.Combine(path, RegistryCsv.PatientsFile)) ? RegistryLayout.Csv
                : null;
        }

        return RegistryJson.IsRegistryFile(path) ? RegistryLayout.Json : null;
    }

    public static bool IsRegistry(string path) => Detect(path) is not null;

    /// <summary>The files the registry at <paramref name="path"/> is read from.</summary>
    public static IReadOnlyList<string> Files(string path) => Detect(path) switch
    {
        RegistryLayout.Csv => [Path.Combine(path, RegistryCsv.PatientsFile), Path.Combine(path, RegistryCsv.AdministrationsFile)],
        RegistryLayout.Json => [Directory.Exists(path) ? Path.Combine(path, RegistryJson.FileName) : path],
        RegistryLayout.PumpCsv => PumpRegistryCsv.FileNames.Select(f => Path.Combine(path, f)).ToList(),
        _ => [],
    };

    /// <summary>Reads the single-shot registry at <paramref name="path"/> with located errors per record (a pump registry is read by <see cref="PumpRegistryCsv"/>).</summary>
    public static RegistryReadResult Read(string path)
    {
        var layout = Detect(path) ?? throw new ArgumentException($"{path} is not a registry: expected a folder with {RegistryCsv.PatientsFile} or {RegistryJson.FileName}, or a .json registry file", nameof(path));
        if (layout == RegistryLayout.PumpCsv)
        {
            throw new InvalidDataException($"{path} is a pump registry ({PumpRegistryCsv.MarkerFile}), not a single-shot one");
        }

        if (Directory.Exists(path) && File.Exists(Path.Combine(path, RegistryJson.FileName)) && File.Exists(Path.Combine(path, RegistryCsv.PatientsFile)))
        {
            throw new InvalidDataException($"{path} holds both {RegistryJson.FileName} and {RegistryCsv.PatientsFile}: keep one registry per folder");
        }

        return layout == RegistryLayout.Csv ? RegistryCsv.ReadFolder(path) : RegistryJson.ReadFile(Files(path)[0]);
    }
}
