using System.Text.Json;
using System.Threading.Channels;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Views.Output;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>Options of a <see cref="ViewJob"/> run.</summary>
public sealed record ViewRunOptions(ViewOutputFormat Format, string OutputFolder)
{
    /// <summary>Blocks processed at once (default: one per core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of NDJSON handed to a worker at once.</summary>
    public int BlockBytes { get; init; } = 1 << 20;

    /// <summary>A longer NDJSON line is an input error (every buffer fed by input is bounded).</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    /// <summary>Issues kept in the summary; the rest are counted.</summary>
    public int MaxIssues { get; init; } = 1000;

    public IProgress<ViewRunProgress>? Progress { get; init; }
}

/// <summary>Resources read and rows written so far.</summary>
public sealed record ViewRunProgress(long Resources, long Rows);

/// <summary>An issue of a run: which view (file or name), which input (file and line) and what.</summary>
public sealed record ViewRunIssue(string View, string Input, long InputLine, ViewIssue Issue)
{
    public override string ToString() => $"{Issue.Format(View)} (input {Input}{(InputLine > 0 ? ":" + InputLine : "")})";
}

/// <summary>What a run did.</summary>
public sealed record ViewRunSummary(long Resources, IReadOnlyDictionary<string, long> RowsByView, long IssueCount, IReadOnlyList<ViewRunIssue> Issues, IReadOnlyList<string> Outputs);

/// <summary>
/// Runs views over FHIR files as a stream: NDJSON is cut into blocks that the workers parse and run in parallel while
/// one writer takes their rows in input order (the output does not depend on the thread count). At most
/// 2 × <see cref="ViewRunOptions.Parallelism"/> blocks are in flight, so memory does not grow with the input. A resource
/// that cannot be read or fails a view is reported with its file and line and skipped; the others go through.
/// </summary>
public static class ViewJob
{
    /// <summary>Input files: a file as given; in a folder (recursively) the NDJSON files, or the JSON files when there is none.</summary>
    public static IReadOnlyList<string> InputFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path))
            {
                files.Add(path);
                continue;
            }

            var ndjson = Directory.GetFiles(path, "*.ndjson", SearchOption.AllDirectories);
            files.AddRange((ndjson.Length > 0 ? ndjson : Directory.GetFiles(path, "*.json", SearchOption.AllDirectories)).Order(StringComparer.Ordinal));
        }

        return files;
    }

    public static async Task<ViewRunSummary> RunAsync(IReadOnlyList<(ViewDefinition View, string Source)> views, IReadOnlyList<string> inputFiles, ViewRunOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(inputFiles);
        ArgumentNullException.ThrowIfNull(options);
        var duplicate = views.GroupBy(v => v.View.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two views are named '{duplicate.Key}' ({string.Join(", ", duplicate.Select(d => d.Source))})", nameof(views));
        }

        await using var outputs = ViewOutputs.Create(views.Select(v => v.View).ToList(), options.Format, options.OutputFolder);
        var work = new Work(views, outputs.Writers);
        var channel = Channel.CreateBounded<Task<BlockResult>>(new BoundedChannelOptions(Math.Max(1, options.Parallelism) * 2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var file in inputFiles)
                {
                    await foreach (var block in Blocks(file, options, ct).ConfigureAwait(false))
                    {
                        await channel.Writer.WriteAsync(Task.Run(() => work.Process(block), ct), ct).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                channel.Writer.Complete();
            }
        }, ct);

        long resources = 0, rows = 0, issueCount = 0;
        var issues = new List<ViewRunIssue>();
        var lastProgress = Environment.TickCount64;
        await foreach (var pending in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            var result = await pending.ConfigureAwait(false);
            resources += result.Resources;
            for (var v = 0; v < result.Rows.Length; v++)
            {
                foreach (var row in result.Rows[v])
                {
                    outputs.Writers[v].Write(row);
                    rows++;
                }
            }

            issueCount += result.Issues.Count;
            issues.AddRange(result.Issues.Take(options.MaxIssues - issues.Count));
            if (options.Progress is { } progress && Environment.TickCount64 - lastProgress > 250)
            {
                progress.Report(new ViewRunProgress(resources, rows));
                lastProgress = Environment.TickCount64;
            }
        }

        await producer.ConfigureAwait(false);
        await outputs.CompleteAsync(ct).ConfigureAwait(false);
        options.Progress?.Report(new ViewRunProgress(resources, rows));
        var byView = views.Select((v, i) => (v.View.Name, outputs.Writers[i].Rows)).ToDictionary(x => x.Name, x => x.Rows, StringComparer.Ordinal);
        return new ViewRunSummary(resources, byView, issueCount, issues, outputs.Files);
    }

    /// <summary>A piece of input: NDJSON lines (whole lines only, from the core's splitter) or one JSON file.</summary>
    private sealed record Block(string Source, NdjsonBlock? Lines, byte[] Json, string? Error = null);

    /// <summary>What one block gave (filled by the one worker that processes the block).</summary>
    private sealed class BlockResult(int views)
    {
        public long Resources { get; set; }

        public List<object?[]>[] Rows { get; } = Enumerable.Range(0, views).Select(_ => new List<object?[]>()).ToArray();

        public List<ViewRunIssue> Issues { get; } = [];
    }

    private static async IAsyncEnumerable<Block> Blocks(string file, ViewRunOptions options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (!file.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
        {
            var length = new FileInfo(file).Length;
            if (length > options.MaxLineBytes)
            {
                yield return new Block(file, null, [], $"{length} bytes, more than the {options.MaxLineBytes} a JSON file may have");
                yield break;
            }

            yield return new Block(file, null, await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false));
            yield break;
        }

        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var split = new NdjsonSplitOptions { BlockBytes = options.BlockBytes, MaxLineBytes = options.MaxLineBytes };
        await foreach (var lines in NdjsonSplitter.ReadBlocksAsync(stream, split, ct).ConfigureAwait(false))
        {
            yield return new Block(file, lines, []);
        }
    }

    private sealed class Work(IReadOnlyList<(ViewDefinition View, string Source)> views, IReadOnlyList<ViewTableWriter> writers)
    {
        private readonly ViewRunner[] _runners = views.Select(v => new ViewRunner(v.View)).ToArray();
        private readonly HashSet<string> _types = new(views.Select(v => v.View.Resource).Append("Bundle"), StringComparer.Ordinal);
        private readonly ElementSelection _selection = new ViewProjection(views.Select(v => v.View)).Selection;

        public BlockResult Process(Block block)
        {
            var result = new BlockResult(views.Count);
            if (block.Error is not null)
            {
                result.Issues.Add(new ViewRunIssue("", block.Source, 0, new ViewIssue(ViewCodes.Input, block.Error, "", 0, 0)));
                return result;
            }

            if (block.Lines is null)
            {
                Resource(block.Json, block.Source, 0, result);
                return result;
            }

            using (block.Lines)
            {
                foreach (var line in block.Lines)
                {
                    if (line.TooLong)
                    {
                        var detail = $"a line of {line.SkippedBytes} bytes or more, longer than {nameof(ViewRunOptions.MaxLineBytes)}";
                        result.Issues.Add(new ViewRunIssue("", block.Source, line.Number, new ViewIssue(ViewCodes.Input, detail, "", 0, 0)));
                        continue;
                    }

                    Resource(line.Bytes.Span, block.Source, line.Number, result);
                }
            }

            return result;
        }

        private void Resource(ReadOnlySpan<byte> json, string source, long line, BlockResult result)
        {
            // A resource no view reads is counted, not parsed (a view's resource type decides what is read); of the
            // others only the top-level elements a view can reach are built, the rest is checked without being built.
            var type = ViewProjection.TypeOf(json);
            result.Resources++;
            if (type is not null && !_types.Contains(type) && ModelInfo.GetResourceType(type) is not null)
            {
                return;
            }

            var parsed = FhirJsonParser.ParseSelected(json, _selection, ParserOptions.Strict);
            if (!parsed.Success)
            {
                var first = parsed.Issues.FirstOrDefault(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
                var detail = first is null ? "nothing read" : $"{first.Code} at {first.Location}: {first.Message}";
                var at = line > 0 ? line : first?.Line ?? 0;
                result.Issues.Add(new ViewRunIssue("", source, at, new ViewIssue(ViewCodes.Input, detail, "", 0, 0)));
                return;
            }

            var resource = parsed.Value!;
            Run(resource, source, line, result);
            if (resource is Bundle bundle)
            {
                foreach (var entry in bundle.Entry)
                {
                    if (entry.Resource is { } r)
                    {
                        Run(r, source, line, result);
                        result.Resources++;
                    }
                }
            }
        }

        private void Run(Resource resource, string source, long line, BlockResult result)
        {
            for (var v = 0; v < _runners.Length; v++)
            {
                if (_runners[v].View.Resource != resource.TypeInfo.Name)
                {
                    continue;
                }

                try
                {
                    // Converted in place, then added to the block's rows (a failing cell drops the resource's rows of this view).
                    var rows = _runners[v].Run(resource);
                    var writer = writers[v];
                    for (var r = 0; r < rows.Count; r++)
                    {
                        writer.Prepare(rows[r]);
                    }

                    result.Rows[v].AddRange(rows);
                }
                catch (ViewEvaluationException e)
                {
                    result.Issues.Add(new ViewRunIssue(views[v].Source, source, line, e.Issue));
                }
                catch (InvalidCastException e)
                {
                    var subject = resource.TypeInfo.Name + "/" + resource.Id;
                    result.Issues.Add(new ViewRunIssue(views[v].Source, source, line, new ViewIssue(ViewCodes.Output, e.Message, "", 0, 0, subject)));
                }
            }
        }
    }
}
