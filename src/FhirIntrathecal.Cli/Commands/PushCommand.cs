using System.CommandLine;
using System.Globalization;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>push</c>: send a registry, bundles or NDJSON to a server as idempotent transactions; failures are parked, never dropped.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var input = new Argument<string>("input") { Description = "A registry folder (patients.csv), a Bundle .json, an .ndjson file, or a folder of them" };
        var batch = new Option<int>("--batch-size") { Description = "Resources per transaction for loose resources", DefaultValueFactory = _ => 100 };
        var parallel = new Option<int>("--parallel") { Description = "Transactions in flight", DefaultValueFactory = _ => 2 };
        var park = new Option<string>("--park") { Description = "Folder for transactions that failed, with their reasons", DefaultValueFactory = _ => "parked" };
        var recorded = new Option<string?>("--recorded") { Description = "Registry input: Provenance.recorded (ISO 8601; default now)" };
        var noUpsert = new Option<bool>("--no-upsert") { Description = "Keep unconditional creates as POST (then such transactions are never retried, only parked)" };
        var command = new Command("push", "Push FHIR content to a server in batched, idempotent transactions") { input, batch, parallel, park, recorded, noUpsert };
        server.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var logging = server.Logging(parse);
            using var fhir = server.CreateClient(parse, logging);
            var path = parse.GetValue(input)!;
            var upsert = !parse.GetValue(noUpsert);
            var units = Units(path, parse.GetValue(batch), parse.GetValue(recorded), ct);
            if (upsert)
            {
                units = units.Select(u => u with { Bundle = PushInputs.UpsertUnconditionalCreates(u.Bundle) });
            }

            var pusher = new BundlePusher(fhir.Client, new PushOptions
            {
                BatchSize = parse.GetValue(batch),
                Parallelism = parse.GetValue(parallel),
                ParkDirectory = parse.GetValue(park)!,
            });
            var result = await Terminal.ProgressAsync("push", report =>
                pusher.PushAsync(units, new Progress<PushProgress>(p => report($"{p.Units} transactions, {p.Resources} resources, {p.Parked} parked", null)), ct)).ConfigureAwait(false);

            Terminal.Table("push", ["transactions", "ok", "created", "existing", "updated", "parked", "seconds", "resources/s"],
            [[
                N(result.Units), N(result.Succeeded), N(result.ResourcesCreated), N(result.ResourcesMatched), N(result.ResourcesUpdated),
                N(result.Parked.Count), result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
                (result.Resources / Math.Max(0.001, result.Elapsed.TotalSeconds)).ToString("0", CultureInfo.InvariantCulture),
            ]]);
            foreach (var p in result.Parked)
            {
                Console.Error.WriteLine($"parked {p.Source} → {p.Path}: {p.Reason}");
            }

            return result.Parked.Count == 0 ? 0 : 2;
        });
        return command;
    }

    /// <summary>A registry folder is converted with the mapping (conditional creates on business identifiers); anything else is read as FHIR.</summary>
    private static IAsyncEnumerable<PushUnit> Units(string path, int batchSize, string? recorded, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(path, RegistryCsv.PatientsFile)))
        {
            return PushInputs.ReadAsync(path, batchSize, ct);
        }

        var read = RegistryCsv.ReadFolder(path);
        if (read.Errors.Count > 0)
        {
            // Rows that do not parse would be silently missing from the server: refuse instead.
            throw new InvalidOperationException($"The registry has {read.Errors.Count} row error(s), first: {read.Errors[0]}. Fix them (see `convert`) before pushing.");
        }

        var when = recorded is null ? DateTimeOffset.UtcNow : DateTimeOffset.Parse(recorded, CultureInfo.InvariantCulture);
        var bundles = DomainToFhir.TransactionBundles(read.Registry, new ExportOptions(path, when));
        return PushInputs.FromBundles("registry", bundles).ToAsyncEnumerable();
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
