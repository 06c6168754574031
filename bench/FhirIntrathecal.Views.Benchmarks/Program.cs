using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using FhirIntrathecal.Fhir.Views;
using FhirIntrathecal.Fhir.Views.Output;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

// Study views over the seed-0 cohort replicated to >= 1 million resources, next to DuckDB's own read_json + SQL building
// the same administrations table, in the same run; where the time goes (parse, view, writer: one thread); and a
// flat-memory proof (all study views in a child process at a quarter and at the full input: peak working set of each).
// Minutes, not microseconds: a measured console program.
//   dotnet run -c Release --project bench/FhirIntrathecal.Views.Benchmarks -- [--copies N] [--keep] [--no-peak] [--phases-only]
//     [--rounds N] [--admin-only]
var copies = Option("--copies", 119);
if (args.Contains("--peak-child"))
{
    // One measured run in a process of its own: its peak working set is this run's alone.
    var childRoot = Path.Combine(Path.GetTempPath(), "views-peak-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    try
    {
        var childInput = Replicate(FindRepo(), childRoot, copies, out var childResources);
        var childViews = ViewDefinitionReader.ReadFiles([Path.Combine(FindRepo(), "profiles", "views")]).Select(v => (v.Result.View!, v.Source)).ToList();
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var summary = await ViewJob.RunAsync(childViews, ViewJob.InputFiles([childInput]).Where(f => !f.EndsWith("warmup.ndjson", StringComparison.Ordinal)).ToList(), new ViewRunOptions(ViewOutputFormat.Parquet, Path.Combine(childRoot, "out")));
        Console.WriteLine($"{childResources} {summary.RowsByView.Values.Sum()} {before} {Process.GetCurrentProcess().PeakWorkingSet64}");
        return 0;
    }
    finally
    {
        Directory.Delete(childRoot, recursive: true);
    }
}

var root = Path.Combine(Path.GetTempPath(), "views-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
var repo = FindRepo();
try
{
    var input = Replicate(repo, root, copies, out var resourceCount);
    var views = ViewDefinitionReader.ReadFiles([Path.Combine(repo, "profiles", "views")]).Select(v => (v.Result.View ?? throw new InvalidOperationException(v.Source), v.Source)).ToList();
    var administrations = views.Where(v => v.Item1.Name == "administrations").ToList();
    var maFile = Path.Combine(input, "MedicationAdministration.ndjson");
    var maCount = File.ReadLines(maFile).LongCount();
    if (args.Contains("--phases-only"))
    {
        // For a profiler: only the one-thread split of the administrations view.
        await Phases(administrations[0].Item1, maFile);
        return 0;
    }

    Console.WriteLine($"input: {resourceCount:N0} resources ({copies} copies of seed-0), {new DirectoryInfo(input).EnumerateFiles().Sum(f => f.Length) / 1e6:N0} MB NDJSON; {Environment.ProcessorCount} cores");

    // Warm-up (JIT) on one copy's worth of administrations.
    await ViewJob.RunAsync(administrations, [Path.Combine(input, "warmup.ndjson")], new ViewRunOptions(ViewOutputFormat.DuckDb, Path.Combine(root, "warm")));

    // --admin-only: only the administrations pair (for an A/B on a busy machine: --rounds N alternates them N times and
    // compares the medians of wall and CPU time).
    var adminOnly = args.Contains("--admin-only");
    var all = adminOnly ? default : await Measure("view run, 7 study views, all resources → Parquet", () => ViewJob.RunAsync(views, ViewJob.InputFiles([input]).Where(f => !f.EndsWith("warmup.ndjson", StringComparison.Ordinal)).ToList(), new ViewRunOptions(ViewOutputFormat.Parquet, Path.Combine(root, "all"))));
    var duckdb = Path.Combine(root, "duck.duckdb");
    var (oursRuns, duckRuns) = (new List<(ViewRunSummary Summary, double Seconds, double Cpu)>(), new List<(ViewRunSummary Summary, double Seconds, double Cpu)>());
    var ourPeak = 0L;
    for (var round = 0; round < Option("--rounds", 1); round++)
    {
        oursRuns.Add(await Measure("view run, administrations view → DuckDB table", () => ViewJob.RunAsync(administrations, [maFile], new ViewRunOptions(ViewOutputFormat.DuckDb, Path.Combine(root, "ours")))));
        ourPeak = Math.Max(ourPeak, Process.GetCurrentProcess().PeakWorkingSet64);
        duckRuns.Add(await Measure("DuckDB read_json + SQL, administrations table", () =>
        {
            using var db = new DuckDBConnection($"Data Source={duckdb}");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = DuckDbPeer.AdministrationsSql.Replace("{file}", maFile.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal);
            cmd.ExecuteNonQuery();
            cmd.CommandText = "SELECT count(*) FROM administrations";
            var rows = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            return Task.FromResult(new ViewRunSummary(maCount, new Dictionary<string, long> { ["administrations"] = rows }, 0, [], [duckdb]));
        }));
    }

    var (ours, duck) = (Median(oursRuns), Median(duckRuns));
    Check(ours.Summary, duck.Summary, Path.Combine(root, "ours", ViewOutputs.DuckDbFile), duckdb);
    if (!adminOnly)
    {
        await Phases(administrations[0].Item1, maFile);
        Console.WriteLine($"peak working set after our runs: {ourPeak / 1e6:N0} MB; after DuckDB: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:N0} MB");
        Console.WriteLine($"all study views: {all.Summary.Resources / all.Seconds:N0} resources/s, {all.Summary.RowsByView.Values.Sum() / all.Seconds:N0} rows/s");
    }

    Console.WriteLine($"administrations table{(oursRuns.Count > 1 ? $" (medians of {oursRuns.Count} alternating rounds)" : "")}: view run {ours.Seconds:N2} s vs DuckDB read_json {duck.Seconds:N2} s → ratio {duck.Seconds / ours.Seconds:N2}x (>1 = view run faster); CPU ratio {duck.Cpu / ours.Cpu:N2}x");
    if (adminOnly)
    {
        return 0;
    }

    if (!args.Contains("--no-peak"))
    {
        var quarter = PeakChild(Math.Max(1, copies / 4));
        var full = PeakChild(copies);
        Console.WriteLine($"flat memory: all 7 study views → Parquet, each in a process of its own: {quarter.Resources:N0} resources → peak {quarter.Peak / 1e6:N0} MB (before the run {quarter.Before / 1e6:N0} MB); "
            + $"{full.Resources:N0} resources → peak {full.Peak / 1e6:N0} MB (before {full.Before / 1e6:N0} MB); input ×{(double)full.Resources / quarter.Resources:N1}, peak ×{(double)full.Peak / quarter.Peak:N2}");
    }

    return 0;
}
finally
{
    if (Environment.GetCommandLineArgs().Contains("--keep"))
    {
        Console.WriteLine($"kept {root}");
    }
    else if (Directory.Exists(root))
    {
        Directory.Delete(root, recursive: true);
    }
}

// Where the CPU time of the administrations view goes, on one thread: parsing the NDJSON lines in full, parsing them as
// view run does (only the elements the view reaches built, the rest checked: the strict skim), running the view, and
// converting the rows for a table (the rest of a job is the writer). Measured as a job works: block by block (4,096
// lines), each resource parsed and at once run through the view while it is young. The view is what parse + view
// costs more than the parse alone (run as a separate pass over resources parsed earlier, the view would be billed for
// the collector's work on an old heap, the resources promoted and values filled in on first read, that a job never
// does); the cells are converted from the block's rows. One block goes through first, unmeasured (JIT).
static async Task Phases(ViewDefinition view, string file)
{
    var lines = File.ReadLines(file).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
    var selection = new ViewProjection([view]).Selection;
    var runner = new ViewRunner(view);
    var folder = Path.Combine(Path.GetTempPath(), "views-phases-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    var (full, skim, skimView, prepare, skimBytes, skimViewBytes, rowCount) = (0.0, 0.0, 0.0, 0.0, 0L, 0L, 0L);
    await using (var outputs = ViewOutputs.Create([view], ViewOutputFormat.DuckDb, folder))
    {
        var writer = outputs.Writers[0];
        var blocks = lines.Chunk(4096).ToList();
        foreach (var (block, measured) in blocks.Take(1).Select(b => (b, false)).Concat(blocks.Select(b => (b, true))))
        {
            var f = Cpu(() => block.Select(l => FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser.Parse(l, FhirIntrathecal.Fhir.Serialization.ParserOptions.Strict).Value!).Count(), out _, out _);
            var s = Cpu(() => block.Select(Skim).Count(), out _, out var sb);
            var sv = Cpu(() => block.SelectMany(l => runner.Run(Skim(l))).ToList(), out var rows, out var svb);
            var c = Cpu(() => rows.Select(writer.Prepare).Count(), out _, out _);
            if (measured)
            {
                (full, skim, skimView, prepare) = (full + f, skim + s, skimView + sv, prepare + c);
                (skimBytes, skimViewBytes, rowCount) = (skimBytes + sb, skimViewBytes + svb, rowCount + rows.Count);
            }
        }
    }

    Directory.Delete(folder, recursive: true);
    var evaluate = skimView - skim;
    var total = skimView + prepare;
    Console.WriteLine($"administrations view on one thread (CPU), {lines.Count:N0} resources: parse in full {full:N2} s, parse as view run does (skim) {skim:N2} s ({100 * skim / total:N0}%, {full / skim:N2}x less than in full), "
        + $"view {evaluate:N2} s ({100 * evaluate / total:N0}%, {lines.Count / evaluate:N0} resources/s), cells {prepare:N2} s ({100 * prepare / total:N0}%); {rowCount:N0} rows; "
        + $"allocated per resource (deterministic, unlike CPU time under load): skim {skimBytes / lines.Count:N0} B, view {(skimViewBytes - skimBytes) / lines.Count:N0} B");

    FhirIntrathecal.Fhir.Model.Resource Skim(byte[] line) => FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser.ParseSelected(line, selection).Value!;
}

static double Cpu<T>(Func<T> work, out T result, out long allocated)
{
    GC.Collect();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    result = work();
    allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
    return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
}

(long Resources, long Before, long Peak) PeakChild(int n)
{
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in Environment.GetCommandLineArgs().Take(1).Where(a => a.EndsWith(".dll", StringComparison.Ordinal)))
    {
        psi.ArgumentList.Add(a);
    }

    psi.ArgumentList.Add("--peak-child");
    psi.ArgumentList.Add("--copies");
    psi.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
    using var child = Process.Start(psi)!;
    var output = child.StandardOutput.ReadToEnd().Trim().Split('\n')[^1].Split(' ');
    child.WaitForExit();
    return (long.Parse(output[0], CultureInfo.InvariantCulture), long.Parse(output[2], CultureInfo.InvariantCulture), long.Parse(output[3], CultureInfo.InvariantCulture));
}

static async Task<(ViewRunSummary Summary, double Seconds, double Cpu)> Measure(string label, Func<Task<ViewRunSummary>> run)
{
    GC.Collect();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var (gen0, gen1, gen2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    var sw = Stopwatch.StartNew();
    var summary = await run();
    sw.Stop();
    var gc = $"GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen 0/1/2), paused {(GC.GetTotalPauseDuration() - pause).TotalSeconds:N2} s";
    process.Refresh();
    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    var rows = summary.RowsByView.Values.Sum();
    var s = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"{label}: {summary.Resources:N0} resources, {rows:N0} rows in {s:N2} s = {summary.Resources / s:N0} resources/s, {rows / s:N0} rows/s; CPU {cpuSeconds:N1} s ({cpuSeconds / s:N2} cores busy); {gc}; issues {summary.IssueCount}");
    if (summary.IssueCount > 0)
    {
        throw new InvalidOperationException(string.Join(Environment.NewLine, summary.Issues.Take(5)));
    }

    return (summary, s, cpuSeconds);
}

// The median round by wall time and the median CPU time (rounds alternate with the peer's, so both see the same load).
static (ViewRunSummary Summary, double Seconds, double Cpu) Median(List<(ViewRunSummary Summary, double Seconds, double Cpu)> runs)
{
    var byWall = runs.OrderBy(r => r.Seconds).ToList();
    return byWall[byWall.Count / 2] with { Cpu = runs.Select(r => r.Cpu).Order().ElementAt(runs.Count / 2) };
}

// Both tables must hold the same rows, or the comparison means nothing.
static void Check(ViewRunSummary ours, ViewRunSummary duck, string ourDb, string duckDb)
{
    using var db = new DuckDBConnection("Data Source=:memory:");
    db.Open();
    using var cmd = db.CreateCommand();
    cmd.CommandText = $"ATTACH '{ourDb}' AS o (READ_ONLY); ATTACH '{duckDb}' AS d (READ_ONLY);";
    cmd.ExecuteNonQuery();
    cmd.CommandText = "SELECT count(*) FROM (SELECT * FROM o.administrations EXCEPT ALL SELECT * FROM d.administrations)";
    var differ = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    cmd.CommandText = "SELECT dose, count(*) FROM o.administrations GROUP BY dose ORDER BY dose";
    using var reader = cmd.ExecuteReader();
    var doses = new List<string>();
    while (reader.Read())
    {
        doses.Add($"{reader.GetDecimal(0):0} mg: {reader.GetInt64(1):N0}");
    }

    Console.WriteLine($"same table: {ours.RowsByView["administrations"]:N0} vs {duck.RowsByView["administrations"]:N0} rows, {differ} rows differ; doses {string.Join(", ", doses)}");
    if (differ != 0 || ours.RowsByView["administrations"] != duck.RowsByView["administrations"])
    {
        throw new InvalidOperationException("the two administrations tables differ");
    }
}

static string Replicate(string repo, string root, int copies, out long resources)
{
    var registry = RegistryInput.Read(Path.Combine(repo, "examples", "cohort-seed0")).Registry;
    var options = new ExportOptions("examples/cohort-seed0", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) { References = ReferenceStyle.Relative };
    FhirFiles.WriteNdjson(DomainToFhir.AllResources(registry, options).Select(p => p.Resource), Path.Combine(root, "seed0"));
    var input = Path.Combine(root, "input");
    Directory.CreateDirectory(input);
    resources = 0;
    foreach (var file in Directory.GetFiles(Path.Combine(root, "seed0", FhirFiles.NdjsonFolder)))
    {
        var bytes = File.ReadAllBytes(file);
        using var output = File.Create(Path.Combine(input, Path.GetFileName(file)));
        for (var i = 0; i < copies; i++)
        {
            output.Write(bytes);
        }

        resources += File.ReadLines(file).LongCount() * copies;
        if (Path.GetFileName(file) == "MedicationAdministration.ndjson")
        {
            File.WriteAllBytes(Path.Combine(input, "warmup.ndjson"), bytes);
        }
    }

    return input;
}

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FhirIntrathecal.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("FhirIntrathecal.sln not found");
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>DuckDB's own way to the same administrations table the study view defines (same columns, types and order).</summary>
internal static class DuckDbPeer
{
    private const string Ext = "https://fhirintrathecal.example.org/fhir/StructureDefinition/";

    internal const string AdministrationsSql = $"""
        CREATE OR REPLACE TABLE administrations AS
        SELECT
          'MedicationAdministration/' || id AS administration_key,
          list_filter(identifier, x -> x.system = 'https://fhirintrathecal.example.org/fhir/sid/registry-administration')[1].value AS registry_id,
          subject.reference AS patient_key,
          reasonReference[1].reference AS condition_key,
          medicationReference.reference AS medication_key,
          CAST(effectiveDateTime AS DATE) AS date,
          CAST(dosage.dose.value AS DECIMAL(28,10)) AS dose,
          dosage.dose.code AS dose_unit,
          dosage.route.coding[1].code AS route,
          dosage.route.coding[1].display AS route_display,
          dosage.site.coding[1].code AS site,
          CAST(list_filter(extension, e -> e.url = '{Ext}needle-gauge')[1].valueInteger AS BIGINT) AS needle_gauge,
          list_filter(extension, e -> e.url = '{Ext}patient-position')[1].valueCodeableConcept.coding[1].display AS position,
          list_filter(extension, e -> e.url = '{Ext}lumbar-interspace')[1].valueCodeableConcept.coding[1].code AS lumbar_level,
          CAST(list_filter(extension, e -> e.url = '{Ext}bed-rest')[1].valueQuantity.value AS DECIMAL(28,10)) AS bed_rest_hours,
          list_filter(extension, e -> e.url = '{Ext}treatment-stage')[1].valueCodeableConcept.coding[1].code AS stage
        FROM read_json('{"{file}"}', format = 'newline_delimited')
        """;
}
