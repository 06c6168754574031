using System.CommandLine;
using System.Globalization;
using FhirIntrathecal.Fhir.Rest.Conformance;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>check</c>: a conformance smoke test of a server for our use, as a table plus JSON and Markdown reports.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var report = new Option<string>("--report") { Description = "Folder for check-report.json and check-report.md", DefaultValueFactory = _ => "." };
        var command = new Command("check", "Check a FHIR server: metadata, our resource types' interactions, round trips with cleanup") { report };
        server.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var logging = server.Logging(parse);
            using var fhir = server.CreateClient(parse, logging);
            var result = await Terminal.ProgressAsync("check", async progressReport =>
            {
                var rows = 0;
                return await new ConformanceChecker(fhir.Client).RunAsync(new Progress<CheckRow>(r => progressReport($"{++rows} checks, last: {r.Check}", null)), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

            Terminal.Table($"check {result.Server}", ["area", "check", "result", "detail", "ms"],
                result.Rows.Select(r => (IReadOnlyList<string>)[r.Area, r.Check, r.Status.ToString().ToUpperInvariant(), r.Detail, r.Milliseconds.ToString("0", CultureInfo.InvariantCulture)]));
            var dir = parse.GetValue(report)!;
            Directory.CreateDirectory(dir);
            var json = Path.Combine(dir, "check-report.json");
            var md = Path.Combine(dir, "check-report.md");
            await File.WriteAllTextAsync(json, result.ToJson(), ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(md, result.ToMarkdown(), ct).ConfigureAwait(false);
            Console.Error.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}: {result.Count(CheckStatus.Pass)} pass, {result.Count(CheckStatus.Warn)} warn, {result.Count(CheckStatus.Fail)} fail, {result.Count(CheckStatus.Skip)} skipped → {json}, {md}");
            // GET /metadata failing first means no FHIR server answered: a runtime failure, not a verdict on one.
            if (result.Rows.Count > 0 && result.Rows[0] is { Status: CheckStatus.Fail } first)
            {
                Console.Error.WriteLine($"error: the server could not be reached or is not a FHIR server ({first.Check}: {first.Detail.ReplaceLineEndings(" ")})");
                return ExitCodes.Runtime;
            }

            return result.Passed ? ExitCodes.Ok : ExitCodes.DataRefused;
        });
        return command;
    }
}
