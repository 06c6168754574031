using FhirIntrathecal.Domain;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Exchange;

/// <summary>A registry handed over as named files (the parts of a multipart body), whichever modality: the layout is told by the file names.</summary>
public sealed partial class RegistryExchange
{
    /// <summary>
    /// The pump tables when <c>implants.csv</c> is among <paramref name="names"/>, else the single-shot
    /// <c>patients.csv</c> + <c>administrations.csv</c>; neither is one REGISTRY_INPUT diagnostic. <paramref name="open"/>
    /// opens a named part (null when absent); each part is read once and disposed.
    /// </summary>
    public PreparedRegistry Prepare(IReadOnlyCollection<string> names, Func<string, TextReader?> open, ExportOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(options);
        if (names.Contains(PumpRegistryCsv.MarkerFile))
        {
            return Prepare(PumpRegistryCsv.Read(open, name => name), options, ct);
        }

        using var patients = open(RegistryCsv.PatientsFile);
        using var administrations = open(RegistryCsv.AdministrationsFile);
        if (patients is null || administrations is null)
        {
            var detail = $"the files are {PumpRegistryCsv.MarkerFile} with the pump tables, or {RegistryCsv.PatientsFile} and {RegistryCsv.AdministrationsFile}";
            return new PreparedRegistry([], [], [], [DiagnosticCatalog.RegistryInput.At(string.Empty, 0, 0, detail)], new Registry(new([]), new([])), options) { ReadErrors = 1 };
        }

        return Prepare(RegistryCsv.Read(patients, RegistryCsv.PatientsFile, administrations, RegistryCsv.AdministrationsFile), options, ct);
    }
}
