using System.CommandLine;
using System.Globalization;
using FhirIntrathecal.Fhir.Views;
using FhirIntrathecal.Fhir.Views.Output;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// <c>view run &lt;view.json|dir&gt;... --input &lt;ndjson|dir|bundle&gt;... --out DIR --format csv|parquet|ndjson|duckdb</c>:
/// SQL on FHIR v2 views over FHIR files, streaming, into one table per view (see FhirIntrathecal.Fhir.Views).
/// </summary>
internal static class ViewCommand
{
    public static Command Create()
    {
        var views = new Argument<string[]>("views") { Description = "ViewDefinition JSON files or folders of them", Arity = ArgumentArity.OneOrMore };
        var input = new Option<string[]>("--input") { Description = "NDJSON files, FHIR JSON files (a Bundle's entries are read) or folders", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var format = new Option<string>("--output-format", "--format") { Description = "What view run writes: csv | ndjson | parquet | duckdb (one views.duckdb, a table per view)", DefaultValueFactory = _ => "csv" };
        format.OneOf("csv", "ndjson", "parquet", "duckdb");
        var run = new Command("run", "Run ViewDefinitions over FHIR data into CSV, NDJSON, Parquet or DuckDB tables") { views, input, output, format };
        run.SetAction((parse, ct) => RunAsync(parse.GetValue(views)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(format)!, ct));
        return new Command("view", "SQL on FHIR v2 views") { run };
    }

    private static async Task<int> RunAsync(string[] viewPaths, string[] inputPaths, string output, string format, CancellationToken ct)
    {
        var missing = viewPaths.Concat(inputPaths).Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        foreach (var m in missing)
        {
            Console.Error.WriteLine($"error: not found: {m}");
        }

        var read = ViewDefinitionReader.ReadFiles(viewPaths.Except(missing));
        foreach (var (source, result) in read)
        {
            foreach (var issue in result.Issues)
            {
                Console.Error.WriteLine(issue.Format(source));
            }
        }

        if (missing.Count > 0 || read.Count == 0 || read.Any(r => !r.Result.Success))
        {
            Console.Error.WriteLine(read.Count == 0 ? "error: no view given" : "no view was run");
            return missing.Count > 0 || read.Count == 0 ? ExitCodes.Usage : ExitCodes.DataRefused;
        }

        var options = new ViewRunOptions(Enum.Parse<ViewOutputFormat>(format, ignoreCase: true), output);
        var definitions = read.Select(r => (r.Result.View!, r.Source)).ToList();
        var files = ViewJob.InputFiles(inputPaths);
        var summary = Terminal.Rich
            ? await Terminal.ProgressAsync("view run", report =>
                ViewJob.RunAsync(definitions, files, options with { Progress = new Progress<ViewRunProgress>(p => report($"{p.Resources:N0} resources, {p.Rows:N0} rows", null)) }, ct)).ConfigureAwait(false)
            : await ViewJob.RunAsync(definitions, files, options, ct).ConfigureAwait(false);

        foreach (var issue in summary.Issues)
        {
            Console.Error.WriteLine(issue);
        }

        if (summary.IssueCount > summary.Issues.Count)
        {
            Console.Error.WriteLine($"... and {summary.IssueCount - summary.Issues.Count} more issues");
        }

        Terminal.Table("view run", ["view", "rows"], summary.RowsByView.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value.ToString(CultureInfo.InvariantCulture)]));
        Console.Error.WriteLine($"{summary.Resources} resources read from {files.Count} file(s); {summary.IssueCount} issue(s); output: {string.Join(", ", summary.Outputs)}");
        return summary.IssueCount > 0 ? ExitCodes.DataRefused : ExitCodes.Ok;
    }
}
