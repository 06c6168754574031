using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using FhirIntrathecal.Fhir.IO;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Transfer;

namespace FhirIntrathecal.Exchange.FhirInput;

/// <summary>A record kept out of a push: where its bytes and its reasons were parked.</summary>
public sealed record RefusedRecord(FhirRecord Record, string ParkedAt);

/// <summary>
/// Checked FHIR records → transactions: an accepted file goes as its transaction/batch Bundle, or its resources in
/// idempotent transactions of at most <c>batchSize</c>; accepted NDJSON lines of one file are batched the same way. A
/// refused record never reaches a transaction: its exact bytes are parked beside its reasons and it is reported.
/// </summary>
public static class FhirDelivery
{
    public static async IAsyncEnumerable<PushUnit> UnitsAsync(
        IAsyncEnumerable<FhirRecord> records,
        int batchSize,
        string parkFolder,
        Action<RefusedRecord> refused,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(refused);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batch = new List<Resource>(batchSize);
        string? batchFile = null;
        var n = 0;
        await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
        {
            if (batchFile is not null && (record.File != batchFile || batch.Count == batchSize))
            {
                yield return Flush(batchFile, ++n, batch);
                batch = new List<Resource>(batchSize);
                if (record.File != batchFile)
                {
                    n = 0;
                }

                batchFile = null;
            }

            if (!record.Accepted)
            {
                refused(new RefusedRecord(record, await ParkAsync(parkFolder, record, ct).ConfigureAwait(false)));
                continue;
            }

            if (record.Line > 0)
            {
                batchFile = record.File;
                batch.Add(record.Resource!);
                continue;
            }

            foreach (var unit in PushInputs.FromResource(record.Source, record.Resource!, batchSize))
            {
                yield return unit;
            }
        }

        if (batchFile is not null)
        {
            yield return Flush(batchFile, ++n, batch);
        }
    }

    private static PushUnit Flush(string file, int n, List<Resource> batch) =>
        new($"{Path.GetFileName(file)}#{n.ToString(CultureInfo.InvariantCulture)}", PushInputs.Transaction(batch));

    /// <summary>
    /// Writes the record's own bytes (name.json, name.xml or name-line-N.ndjson; unique, so nothing is overwritten) and
    /// its diagnostics beside it (.reason.txt). Returns the parked file's path.
    /// </summary>
    public static async Task<string> ParkAsync(string folder, FhirRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var name = Path.GetFileNameWithoutExtension(record.File);
        var stem = record.Line > 0 ? $"{name}-line-{record.Line.ToString(CultureInfo.InvariantCulture)}" : name;
        string path;
        var file = SafeFileNames.CreateUnique(folder, stem, Path.GetExtension(record.File).ToLowerInvariant());
        await using (file.ConfigureAwait(false))
        {
            path = file.Name;
            await file.WriteAsync(record.Raw, ct).ConfigureAwait(false);
        }

        var reason = new StringBuilder();
        foreach (var d in record.Diagnostics)
        {
            reason.AppendLine(d.ToString());
        }

        await File.WriteAllTextAsync(path + ".reason.txt", reason.ToString(), ct).ConfigureAwait(false);
        return path;
    }
}
