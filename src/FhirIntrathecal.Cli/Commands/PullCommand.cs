using System.CommandLine;
using System.Globalization;
using FhirIntrathecal.Fhir.Rest.Transfer;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>pull</c>: resources from a server into ndjson/[Type].ndjson and bundle.json, resumable.</summary>
internal static class PullCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var output = new Option<string>("--out") { Description = "Output folder (ndjson/, bundle.json, pull-state.json)", Required = true };
        var patient = new Option<string?>("--patient") { Description = "Only this patient's compartment" };
        var since = new Option<string?>("--since") { Description = "Only resources changed after this instant (ISO 8601)" };
        var types = new Option<string[]>("--type") { Description = "Resource type to pull (repeatable; default: the registry's types)", AllowMultipleArgumentsPerToken = false };
        var bulk = new Option<bool>("--bulk") { Description = "Use Bulk Data $export (Patient level) instead of paged searches" };
        var pageSize = new Option<int>("--page-size") { Description = "_count per search page", DefaultValueFactory = _ => 200 };
        var command = new Command("pull", "Pull resources as NDJSON per type plus a collection Bundle; rerun to resume") { output, patient, since, types, bulk, pageSize };
        server.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var logging = server.Logging(parse);
            using var fhir = server.CreateClient(parse, logging);
            var options = new PullOptions
            {
                OutDirectory = parse.GetValue(output)!,
                PatientId = parse.GetValue(patient),
                Since = parse.GetValue(since) is { } s
                    ? DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw new UsageException("--since is not an ISO 8601 date-time")
                    : null,
                Types = [.. parse.GetValue(types) ?? []],
                Bulk = parse.GetValue(bulk),
                PageSize = parse.GetValue(pageSize),
            };
            var puller = new ResourcePuller(fhir.Client, fhir.Bulk);
            var result = await Terminal.ProgressAsync("pull", report =>
                puller.PullAsync(options, new Progress<PullProgress>(p => report($"{p.Type}: {p.Resources} resources, {p.Pages} pages", null)), ct)).ConfigureAwait(false);

            Terminal.Table("pull", ["type", "resources"],
                result.Counts.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value.ToString(CultureInfo.InvariantCulture)])
                    .Append(["total", result.Total.ToString(CultureInfo.InvariantCulture)]));
            Console.Error.WriteLine($"{(result.Resumed ? "resumed; " : string.Empty)}{result.Elapsed.TotalSeconds:0.0} s; bundle: {result.BundlePath}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
