using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FhirIntrathecal.Fhir.IO;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Bulk;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Rest.Transfer;

/// <summary>
/// Pulls resources into ndjson/[Type].ndjson files (plus a collection bundle.json), streaming page by page. Resumable:
/// pull-state.json records, after each page, the next link and the file length written so far; a rerun truncates
/// to that length (dropping a half-written page) and continues from the recorded link.
/// </summary>
public sealed class ResourcePuller(FhirClient client, BulkExportClient? bulk = null)
{
    public const string StateFile = "pull-state.json";
    public const string BundleFile = "bundle.json";

    /// <summary>NDJSON goes in a subfolder, the layout <c>convert</c> writes and <c>report</c> reads.</summary>
    public const string NdjsonFolder = "ndjson";

    private static readonly JsonSerializerOptions StateJson = new() { WriteIndented = true };

    /// <summary>The search parameter that puts each type in a patient's compartment.</summary>
    private static readonly Dictionary<string, string> PatientParameter = new(StringComparer.Ordinal)
    {
        ["Patient"] = "_id",
        ["Condition"] = "patient",
        ["MedicationAdministration"] = "patient",
        ["Observation"] = "patient",
        ["AdverseEvent"] = "subject",
        ["ResearchSubject"] = "individual",
        ["Provenance"] = "patient",
    };

    private readonly FhirClient _client = client ?? throw new ArgumentNullException(nameof(client));

    public async Task<PullResult> PullAsync(PullOptions options, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(options.OutDirectory, NdjsonFolder));
        if (options.Types.IsDefaultOrEmpty)
        {
            throw new ArgumentException("Name the resource types to pull (PullOptions.Types).", nameof(options));
        }

        var types = options.Types;
        var statePath = Path.Combine(options.OutDirectory, StateFile);
        var resumed = File.Exists(statePath);
        var state = resumed ? JsonSerializer.Deserialize<PullState>(await File.ReadAllTextAsync(statePath, ct).ConfigureAwait(false)) ?? new PullState() : new PullState();

        if (options.Bulk)
        {
            await BulkAsync(options, types, state, statePath, ct).ConfigureAwait(false);
        }
        else
        {
            foreach (var type in types)
            {
                await PullTypeAsync(options, type, state, statePath, progress, ct).ConfigureAwait(false);
            }
        }

        string? bundlePath = null;
        if (options.WriteBundle)
        {
            bundlePath = Path.Combine(options.OutDirectory, BundleFile);
            await WriteBundleAsync(Path.Combine(options.OutDirectory, NdjsonFolder), types, bundlePath, ct).ConfigureAwait(false);
        }

        var counts = types.ToDictionary(t => t, t => state.Types.GetValueOrDefault(t)?.Count ?? 0, StringComparer.Ordinal);
        return new PullResult(counts, bundlePath, sw.Elapsed, resumed);
    }

    private async Task PullTypeAsync(PullOptions options, string type, PullState state, string statePath, IProgress<PullProgress>? progress, CancellationToken ct)
    {
        var typeState = state.Types.TryGetValue(type, out var existing) ? existing : state.Types[type] = new TypeState();
        if (typeState.Done)
        {
            progress?.Report(new PullProgress(type, typeState.Count, typeState.Pages));
            return;
        }

        var path = SafeFileNames.PathIn(Path.Combine(options.OutDirectory, NdjsonFolder), type + ".ndjson");
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            // Whatever was written after the last recorded page is a partial page: drop it, it will be fetched again.
            file.SetLength(typeState.Length);
            file.Seek(0, SeekOrigin.End);
            Bundle? page;
            if (typeState.Next is { } next)
            {
                page = await _client.ReadResponseAsync<Bundle>(next, ct).ConfigureAwait(false) is { Resource: { } b } ? b : null;
            }
            else if (typeState.Pages == 0)
            {
                page = await _client.SearchAsync(type, Query(options, type), ct: ct).ConfigureAwait(false);
            }
            else
            {
                page = null;
            }

            while (page is not null)
            {
                foreach (var entry in page.Entry)
                {
                    if (entry.Resource is { } resource && resource.TypeInfo.Name == type && entry.Search?.Mode?.Value is null or "match")
                    {
                        Ndjson.Write(file, resource);
                        typeState.Count++;
                    }
                }

                await file.FlushAsync(ct).ConfigureAwait(false);
                typeState.Pages++;
                typeState.Length = file.Length;
                typeState.Next = _client.NextLink(page)?.AbsoluteUri;
                await SaveAsync(state, statePath, ct).ConfigureAwait(false);
                progress?.Report(new PullProgress(type, typeState.Count, typeState.Pages));
                page = typeState.Next is null ? null : await _client.NextPageAsync(page, ct).ConfigureAwait(false);
            }
        }

        typeState.Done = true;
        await SaveAsync(state, statePath, ct).ConfigureAwait(false);
    }

    private static SearchParameters Query(PullOptions options, string type)
    {
        var query = SearchParameters.Empty.Count(options.PageSize);
        if (options.Since is { } since)
        {
            query = query.LastUpdated(SearchPrefix.Gt, since);
        }

        if (options.PatientId is { } patient && PatientParameter.TryGetValue(type, out var parameter))
        {
            query = parameter == "_id" ? query.Id(patient) : query.Reference(parameter, "Patient", patient);
        }

        return query;
    }

    private async Task BulkAsync(PullOptions options, IReadOnlyList<string> types, PullState state, string statePath, CancellationToken ct)
    {
        var exporter = bulk ?? new BulkExportClient(_client);
        if (options.PatientId is not null)
        {
            throw new NotSupportedException("--patient with --bulk: Bulk Data has no single-patient kick-off by GET; use a paged pull.");
        }

        var parts = Path.Combine(options.OutDirectory, "bulk");
        var job = state.BulkStatusUrl is { } url ? new BulkExportJob(new Uri(url))
            : await exporter.KickOffAsync(new BulkExportRequest { Level = ExportLevel.Patient, Types = [.. types], Since = options.Since }, ct).ConfigureAwait(false);
        state.BulkStatusUrl = job.StatusUrl.AbsoluteUri;
        await SaveAsync(state, statePath, ct).ConfigureAwait(false);
        var manifest = await exporter.WaitAsync(job, null, ct).ConfigureAwait(false);
        var files = await exporter.DownloadAsync(manifest, parts, ct).ConfigureAwait(false);
        foreach (var group in files.GroupBy(f => f.Source.Type, StringComparer.Ordinal))
        {
            var target = SafeFileNames.PathIn(Path.Combine(options.OutDirectory, NdjsonFolder), group.Key + ".ndjson");
            var output = File.Create(target);
            await using (output.ConfigureAwait(false))
            {
                foreach (var f in group.OrderBy(f => f.Path, StringComparer.Ordinal))
                {
                    var input = File.OpenRead(f.Path);
                    await using (input.ConfigureAwait(false))
                    {
                        await input.CopyToAsync(output, ct).ConfigureAwait(false);
                    }
                }
            }

            state.Types[group.Key] = new TypeState { Done = true, Count = group.Sum(f => f.Lines), Length = new FileInfo(target).Length };
        }

        await SaveAsync(state, statePath, ct).ConfigureAwait(false);
    }

    /// <summary>Streams the NDJSON files into one collection Bundle without parsing them: each line is already a resource.</summary>
    private static async Task WriteBundleAsync(string directory, IEnumerable<string> types, string bundlePath, CancellationToken ct)
    {
        var output = File.Create(bundlePath);
        await using (output.ConfigureAwait(false))
        {
            await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16);
            await writer.WriteAsync("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[").ConfigureAwait(false);
            var first = true;
            foreach (var type in types)
            {
                var path = SafeFileNames.PathIn(directory, type + ".ndjson");
                if (!File.Exists(path))
                {
                    continue;
                }

                using var reader = new StreamReader(path, Encoding.UTF8);
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }

                    using var doc = JsonDocument.Parse(line);
                    var id = doc.RootElement.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
                    await writer.WriteAsync(first ? "\n" : ",\n").ConfigureAwait(false);
                    first = false;
                    await writer.WriteAsync(id is null ? "{\"resource\":" : $"{{\"fullUrl\":{JsonSerializer.Serialize($"{type}/{id}")},\"resource\":").ConfigureAwait(false);
                    await writer.WriteAsync(line).ConfigureAwait(false);
                    await writer.WriteAsync('}').ConfigureAwait(false);
                }
            }

            await writer.WriteAsync("\n]}\n").ConfigureAwait(false);
        }
    }

    private static async Task SaveAsync(PullState state, string path, CancellationToken ct)
    {
        // Write-then-rename, so a crash mid-write never leaves an unreadable state file.
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(state, StateJson), ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    private sealed class PullState
    {
        public Dictionary<string, TypeState> Types { get; set; } = new(StringComparer.Ordinal);

        public string? BulkStatusUrl { get; set; }
    }

    private sealed class TypeState
    {
        public bool Done { get; set; }

        public long Count { get; set; }

        public int Pages { get; set; }

        public long Length { get; set; }

        public string? Next { get; set; }
    }
}
