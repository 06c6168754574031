using System.Runtime.CompilerServices;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Service.Options;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// A registry export dropped into the inbox (a folder holding patients.csv and administrations.csv, or registry.json, or the pump tables with implants.csv;
/// docs/registry-format.md) or posted to <c>/intake/registry</c>: prepared by the one <see cref="RegistryExchange"/> flow
/// (read with located errors, domain rules, mapping, IG validation), then one outbox item per accepted patient, in the
/// configured idempotent form. Refused records and warnings come back as located diagnostics, the same as convert and push give.
/// </summary>
public sealed class RegistryFolderReader(RegistryExchange exchange, DispatcherOptions dispatcher)
{
    public static bool IsRegistryFolder(string path) => Directory.Exists(path) && RegistryInput.IsRegistry(path);

    public async IAsyncEnumerable<InputRecord> ReadAsync(string folder, string correlationId, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var name = Path.GetFileName(folder);

        // The recorded time comes from the files, not the clock, so re-reading the folder yields identical items.
        var files = RegistryInput.Files(folder).Where(File.Exists).ToList();
        var recorded = files.Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.UnixEpoch).Max();
        var prepared = exchange.Prepare(folder, new DateTimeOffset(recorded, TimeSpan.Zero), name, ct);
        foreach (var record in Map(prepared, name, correlationId))
        {
            yield return record;
        }
    }

    /// <summary>A registry read elsewhere (the intake's JSON body) down the same flow.</summary>
    public PreparedRegistry Prepare(RegistryReadResult read, ExportOptions options, CancellationToken ct) => exchange.Prepare(read, options, ct);

    /// <summary>A registry as named files (the intake's multipart parts; either modality) down the same flow.</summary>
    public PreparedRegistry Prepare(IReadOnlyCollection<string> names, Func<string, TextReader?> open, ExportOptions options, CancellationToken ct) =>
        exchange.Prepare(names, open, options, ct);

    /// <summary>The diagnostics (one record: errors keep the input in quarantine, warnings are reported), then an item per patient.</summary>
    public IEnumerable<InputRecord> Map(PreparedRegistry prepared, string name, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Diagnostics.Count > 0)
        {
            yield return new InputRecord([], prepared.Diagnostics.Where(d => d.IsError).Select(d => InFolder(d, name)).ToList())
            {
                Warnings = prepared.Diagnostics.Where(d => !d.IsError).Select(d => InFolder(d, name)).ToList(),
            };
        }

        var n = 0;
        foreach (var (patientId, bundle) in Delivery.Transactions(prepared, dispatcher.RegistryIdempotency))
        {
            yield return InputRecord.Of([OutboxItemFactory.ForTransaction(bundle, $"{name}#patient {patientId}#{++n}", correlationId)]);
        }
    }

    /// <summary>The finding placed at the file inside the dropped folder (never the server's full path).</summary>
    private static Diagnostic InFolder(Diagnostic d, string name) => d with { File = Path.Combine(name, Path.GetFileName(d.File)) };
}
