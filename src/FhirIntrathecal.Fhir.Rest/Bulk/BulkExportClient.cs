using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FhirIntrathecal.Fhir.IO;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FhirIntrathecal.Fhir.Rest.Bulk;

/// <summary>
/// FHIR Bulk Data $export: kick-off, status polling (honouring Retry-After and reporting X-Progress), manifest,
/// parallel streamed NDJSON downloads, error files, and cancellation by DELETE. Stateless like <see cref="FhirClient"/>;
/// the job handle is a value the caller keeps.
/// </summary>
public sealed partial class BulkExportClient
{
    private readonly FhirClient _client;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public BulkExportClient(FhirClient client, ILogger<BulkExportClient>? logger = null, BulkExportOptions? options = null, TimeProvider? time = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _logger = logger ?? NullLogger<BulkExportClient>.Instance;
        Options = options ?? new BulkExportOptions();
        _time = time ?? TimeProvider.System;
    }

    public BulkExportOptions Options { get; }

    public BulkExportClient WithOptions(BulkExportOptions options) => new(_client, _logger as ILogger<BulkExportClient>, options, _time);

    /// <summary>Kick-off. The server answers 202 with Content-Location, the status URL.</summary>
    public async Task<BulkExportJob> KickOffAsync(BulkExportRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Level switch
        {
            ExportLevel.System => "$export",
            ExportLevel.Patient => "Patient/$export",
            _ => $"Group/{Uri.EscapeDataString(request.GroupId ?? throw new ArgumentException("A group export needs GroupId.", nameof(request)))}/$export",
        };
        var query = SearchParameters.Empty.Add("_outputFormat", request.OutputFormat);
        if (!request.Types.IsDefaultOrEmpty)
        {
            query = query.Add("_type", string.Join(',', request.Types));
        }

        if (request.Since is { } since)
        {
            query = query.Add("_since", FhirClient.FormatInstant(since));
        }

        using var message = _client.NewRequest(HttpMethod.Get, $"{path}?{query.ToQueryString()}");
        message.Headers.Accept.Clear();
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirMediaType.Json));
        message.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        using var response = await _client.SendAsync(message, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted || response.Content.Headers.ContentLocation is not { } location)
        {
            throw new FhirOperationException($"Kick-off answered {(int)response.StatusCode} without a Content-Location; not an async export.",
                response.StatusCode, null, HttpMethod.Get, message.RequestUri);
        }

        var status = location.IsAbsoluteUri ? location : new Uri(_client.Settings.BaseUri, location);
        LogKickedOff(_logger, status);
        return new BulkExportJob(status);
    }

    /// <summary>Polls until the manifest is ready. Errors (4xx/5xx with an OperationOutcome) throw typed exceptions.</summary>
    public async Task<BulkExportManifest> WaitAsync(BulkExportJob job, IProgress<BulkExportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var deadline = _time.GetUtcNow() + Options.MaxWait;
        for (var poll = 1; ; poll++)
        {
            using var message = _client.NewRequest(HttpMethod.Get, job.StatusUrl.AbsoluteUri);
            message.Headers.Accept.Clear();
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _client.SendAsync(message, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var manifest = await ParseManifestAsync(response, ct).ConfigureAwait(false);
                LogComplete(_logger, manifest.Output.Count, manifest.Error.Count);
                return manifest;
            }

            var wait = PollDelay(response);
            var text = response.Headers.TryGetValues("X-Progress", out var values) ? string.Join(' ', values) : null;
            progress?.Report(new BulkExportProgress(poll, text, wait));
            if (_time.GetUtcNow() + wait > deadline)
            {
                throw new TimeoutException($"The export at {job.StatusUrl} did not complete within {Options.MaxWait}.");
            }

            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>DELETE on the status URL: the server stops the job and drops its files.</summary>
    public async Task CancelAsync(BulkExportJob job, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var message = _client.NewRequest(HttpMethod.Delete, job.StatusUrl.AbsoluteUri);
        using var response = await _client.SendAsync(message, ct).ConfigureAwait(false);
        LogCancelled(_logger, job.StatusUrl);
    }

    /// <summary>
    /// Downloads every output file into <paramref name="directory"/> (Type.N.ndjson), several at once, each streamed to
    /// a .part file and renamed when complete. Files already complete are skipped, so a rerun resumes.
    /// </summary>
    public async Task<IReadOnlyList<DownloadedFile>> DownloadAsync(BulkExportManifest manifest, string directory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Directory.CreateDirectory(directory);
        var perType = new Dictionary<string, int>(StringComparer.Ordinal);
        var jobs = manifest.Output.Select(f =>
        {
            var n = perType[f.Type] = perType.GetValueOrDefault(f.Type) + 1;
            return (File: f, Path: SafeFileNames.PathIn(directory, $"{f.Type}.{n.ToString(CultureInfo.InvariantCulture)}.ndjson"));
        }).ToList();
        var results = new DownloadedFile[jobs.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, jobs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.DownloadParallelism), CancellationToken = ct },
            async (i, token) => results[i] = await DownloadFileAsync(jobs[i].File, jobs[i].Path, token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>The resources of one output file, streamed line by line without holding the file in memory.</summary>
    public async IAsyncEnumerable<Resource> ReadFileAsync(BulkExportFile file, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var response = await GetFileAsync(file, ct).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var resource in NdjsonResources.ReadAsync(stream, _client.Settings.ParserOptions, ct).ConfigureAwait(false))
            {
                yield return resource;
            }
        }
    }

    /// <summary>The OperationOutcomes of the manifest's error files.</summary>
    public async Task<IReadOnlyList<OperationOutcome>> ReadErrorsAsync(BulkExportManifest manifest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var outcomes = new List<OperationOutcome>();
        foreach (var file in manifest.Error)
        {
            await foreach (var resource in ReadFileAsync(file, ct).ConfigureAwait(false))
            {
                if (resource is OperationOutcome outcome)
                {
                    outcomes.Add(outcome);
                }
            }
        }

        return outcomes;
    }

    /// <summary>Kick-off, wait, download; a failure or cancellation while waiting cancels the job on the server.</summary>
    public async Task<(BulkExportManifest Manifest, IReadOnlyList<DownloadedFile> Files)> ExportAsync(
        BulkExportRequest request, string directory, IProgress<BulkExportProgress>? progress = null, CancellationToken ct = default)
    {
        var job = await KickOffAsync(request, ct).ConfigureAwait(false);
        BulkExportManifest manifest;
        try
        {
            manifest = await WaitAsync(job, progress, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Best effort, with a fresh token: the caller's is already cancelled.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await CancelAsync(job, cleanup.Token).ConfigureAwait(false);
            }
            catch (Exception cancelError) when (cancelError is HttpRequestException or FhirOperationException or OperationCanceledException)
            {
                LogCancelFailed(_logger, job.StatusUrl, cancelError.Message);
            }

            throw;
        }

        var files = await DownloadAsync(manifest, directory, ct).ConfigureAwait(false);
        return (manifest, files);
    }

    private async Task<DownloadedFile> DownloadFileAsync(BulkExportFile file, string path, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            var existing = new FileInfo(path);
            return new DownloadedFile(file, path, await CountLinesAsync(path, ct).ConfigureAwait(false), existing.Length, Skipped: true);
        }

        var part = path + ".part";
        long lines = 0, bytes = 0;
        try
        {
            (lines, bytes) = await StreamToFileAsync(file, part, ct).ConfigureAwait(false);
        }
        catch
        {
            // A cut download (cap, network, cancellation) leaves nothing half-written behind.
            File.Delete(part);
            throw;
        }

        File.Move(part, path, overwrite: true);
        LogDownloaded(_logger, file.Type, path, lines, bytes);
        return new DownloadedFile(file, path, lines, bytes, Skipped: false);
    }

    /// <summary>The body straight to disk; the transport's download cap (FhirTransportOptions.MaxDownloadBytes) bounds it.</summary>
    private async Task<(long Lines, long Bytes)> StreamToFileAsync(BulkExportFile file, string part, CancellationToken ct)
    {
        long lines = 0, bytes = 0;
        using (var response = await GetFileAsync(file, ct).ConfigureAwait(false))
        {
            var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (target.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        lines += buffer.AsSpan(0, read).Count((byte)'\n');
                        bytes += read;
                        await target.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    }
                }
            }
        }

        return (lines, bytes);
    }

    private async Task<HttpResponseMessage> GetFileAsync(BulkExportFile file, CancellationToken ct)
    {
        var message = _client.NewRequest(HttpMethod.Get, file.Url.AbsoluteUri);
        message.Headers.Accept.Clear();
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirMediaType.Ndjson));
        message.Options.Set(FhirRequestOptions.StreamResponse, true);
        return await _client.SendAsync(message, ct).ConfigureAwait(false);
    }

    private TimeSpan PollDelay(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : Options.DefaultPollInterval);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Options.MaxPollInterval ? Options.MaxPollInterval : wait;
    }

    private static async Task<BulkExportManifest> ParseManifestAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
            var root = json.RootElement;
            var baseUri = response.RequestMessage?.RequestUri;
            return new BulkExportManifest(
                root.TryGetProperty("transactionTime", out var tt) && tt.TryGetDateTimeOffset(out var t) ? t : null,
                root.TryGetProperty("request", out var rq) ? rq.GetString() : null,
                root.TryGetProperty("requiresAccessToken", out var rat) && rat.ValueKind == JsonValueKind.True,
                Files(root, "output", baseUri),
                Files(root, "error", baseUri));
        }
    }

    /// <summary>The stable code of a manifest entry whose type cannot name a file.</summary>
    public const string ManifestTypeCode = "BULK_MANIFEST_TYPE";

    private static List<BulkExportFile> Files(JsonElement root, string name, Uri? baseUri)
    {
        var list = new List<BulkExportFile>();
        if (root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var url = item.GetProperty("url").GetString() ?? throw new FhirFormatException($"A manifest {name} entry has no url.");
                var uri = Uri.TryCreate(url, UriKind.Absolute, out var abs) ? abs : new Uri(baseUri!, url);
                // The type names the downloaded file: a value that could leave the folder is refused before anything is fetched.
                var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (SafeFileNames.Check(type) is not FileNameProblem.None and var problem)
                {
                    throw new FhirFormatException(
                        $"$export manifest: {name}[{index}].type: {ManifestTypeCode} the type {SafeFileNames.Describe(problem, type?.Length ?? 0)}; nothing was downloaded.");
                }

                index++;
                list.Add(new BulkExportFile(
                    type!,
                    uri,
                    item.TryGetProperty("count", out var count) && count.TryGetInt64(out var c) ? c : null));
            }
        }

        return list;
    }

    private static async Task<long> CountLinesAsync(string path, CancellationToken ct)
    {
        long lines = 0;
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }

        return lines;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export accepted; status at {StatusUrl}")]
    private static partial void LogKickedOff(ILogger logger, Uri statusUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export complete: {Outputs} output file(s), {Errors} error file(s)")]
    private static partial void LogComplete(ILogger logger, int outputs, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export at {StatusUrl} cancelled")]
    private static partial void LogCancelled(ILogger logger, Uri statusUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not cancel export at {StatusUrl}: {Reason}")]
    private static partial void LogCancelFailed(ILogger logger, Uri statusUrl, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Downloaded {Type} to {Path}: {Lines} lines, {Bytes} bytes")]
    private static partial void LogDownloaded(ILogger logger, string type, string path, long lines, long bytes);
}
