using FhirIntrathecal.Domain;
using FhirIntrathecal.Exchange.FhirInput;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Exchange.Report;

/// <summary>What a study report is computed from: the records read, and every located diagnostic about the input.</summary>
public sealed record StudyInput(Registry Registry, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsEmpty => Registry.Patients.Count == 0 && Registry.Administrations.Count == 0;

    public int Errors => Diagnostics.Count(d => d.IsError);
}

/// <summary>
/// Reads a report's source the way every other command does: a registry through <see cref="RegistryExchange"/> (refused
/// rows are located and left out), FHIR (convert's ndjson/ or bundles/, a pulled folder, files) through the strict
/// <see cref="FhirInputReader"/>. A second Patient or MedicationAdministration with an identifier already read is a
/// located SOURCE_DUPLICATE and left out; a source holding nothing is SOURCE_EMPTY — never a table of zeros or an empty
/// export. Used by <c>report</c>, <c>export-registry</c> and <c>demo</c>.
/// </summary>
public static class StudyInputs
{
    /// <summary>A registry or FHIR resources.</summary>
    public static async Task<StudyInput> ReadAsync(string path, Func<RegistryExchange> exchange, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(exchange);
        if (!RegistryInput.IsRegistry(path))
        {
            return await ReadFhirAsync(path, ct).ConfigureAwait(false);
        }

        var prepared = exchange().Prepare(path, DateTimeOffset.UnixEpoch, ct: ct);
        return NotEmpty(new StudyInput(prepared.Registry, prepared.Diagnostics), path);
    }

    /// <summary>FHIR resources only: convert's output (ndjson/ or bundles/), a pulled folder, or files.</summary>
    public static async Task<StudyInput> ReadFhirAsync(string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return NotEmpty(await ReadResourcesAsync(path, ct).ConfigureAwait(false), path);
    }

    private static StudyInput NotEmpty(StudyInput input, string path) =>
        input.IsEmpty && input.Errors == 0
            ? input with { Diagnostics = [.. input.Diagnostics, DiagnosticCatalog.SourceEmpty.At(path, 0, 0, "expected a registry (patients.csv + administrations.csv, or registry.json) or FHIR resources (.ndjson, .json, .xml)")] }
            : input;

    private static async Task<StudyInput> ReadResourcesAsync(string path, CancellationToken ct)
    {
        var folder = Directory.Exists(Path.Combine(path, FhirFiles.NdjsonFolder)) ? Path.Combine(path, FhirFiles.NdjsonFolder)
            : Directory.Exists(Path.Combine(path, FhirFiles.BundlesFolder)) ? Path.Combine(path, FhirFiles.BundlesFolder)
            : path;
        var diagnostics = new List<Diagnostic>();
        var resources = new List<(Resource Resource, string? FullUrl)>();
        var seen = new Dictionary<string, FhirRecord>(StringComparer.Ordinal);
        await foreach (var record in new FhirInputReader(null).ReadAsync(FhirInputReader.Files(folder), ct).ConfigureAwait(false))
        {
            diagnostics.AddRange(record.Diagnostics);
            if (!record.Accepted)
            {
                continue;
            }

            IEnumerable<(Resource Resource, string? FullUrl)> read = record.Resource is Bundle bundle
                ? bundle.Entry.Where(e => e.Resource is not null).Select(e => (e.Resource!, e.FullUrl?.Value))
                : [(record.Resource!, null)];
            foreach (var (resource, fullUrl) in read)
            {
                if (Key(resource) is { } key && !seen.TryAdd(key, record))
                {
                    var first = seen[key];
                    diagnostics.Add(DiagnosticCatalog.SourceDuplicate.At(record.File, (int)record.Line, 0,
                        $"first read at {first.File}:{first.Line}", $"{resource.TypeInfo.Name}.identifier", FhirRecord.Name(resource)));
                    continue;
                }

                resources.Add((resource, fullUrl));
            }
        }

        try
        {
            return new StudyInput(FhirToDomain.Read(resources), diagnostics);
        }
        catch (InvalidDataException e)
        {
            diagnostics.Add(DiagnosticCatalog.SourceUnreadable.At(path, 0, 0, e.Message));
            return new StudyInput(new Registry(new([]), new([])), diagnostics);
        }
    }

    /// <summary>The business identity of a study record (Patient, MedicationAdministration): type + first identifier.</summary>
    private static string? Key(Resource resource)
    {
        var identifier = resource switch
        {
            Patient p => p.Identifier.FirstOrDefault(),
            MedicationAdministration m => m.Identifier.FirstOrDefault(),
            _ => null,
        };
        return identifier?.Value?.Value is { } value ? $"{resource.TypeInfo.Name}|{identifier.System?.Value}|{value}" : null;
    }
}
