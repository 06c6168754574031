using System.CommandLine;
using System.Globalization;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Exchange.FhirInput;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>push</c>: send a registry, bundles or NDJSON to a server as idempotent transactions; failures are parked, never dropped.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var input = new Argument<string>("input") { Description = "A registry (folder with patients.csv or registry.json, or a .json registry file), a Bundle .json, an .ndjson file, or a folder of them" };
        var batch = new Option<int>("--batch-size") { Description = "Resources per transaction for loose resources", DefaultValueFactory = _ => 50 };
        var parallel = new Option<int>("--parallel") { Description = "Transactions in flight", DefaultValueFactory = _ => 2 };
        var park = new Option<string>("--park") { Description = "Folder for transactions that failed, with their reasons", DefaultValueFactory = _ => "parked" };
        var recorded = new Option<string?>("--recorded") { Description = "Registry input: Provenance.recorded (ISO 8601; default now)" };
        var noUpsert = new Option<bool>("--no-upsert") { Description = "Keep unconditional urn:uuid creates as POST (such transactions are then never retried, only parked)" };
        var mode = new Option<Idempotency>("--registry-mode")
        {
            Description = "Registry input: upsert (PUT by stable id, default) or conditional (If-None-Exist on identifiers); one transaction per patient",
            DefaultValueFactory = _ => Idempotency.Upsert,
        };
        var noValidate = new Option<bool>("--no-validate") { Description = "FHIR input: skip profile validation (the parse stays strict; said loudly on stderr)" };
        var profiles = new Option<string[]>("--profile") { Description = "FHIR input: a profile every resource must meet (repeatable; unresolvable = exit 2)" };
        var igs = new Option<string[]>("--ig") { Description = "FHIR input: more conformance resources to validate against (package folder, .tgz, files; repeatable)" };
        var command = new Command("push", "Push FHIR content to a server in batched, idempotent transactions; every input is checked first and refused records are parked with their reasons")
        {
            input, batch, parallel, park, recorded, noUpsert, mode, noValidate, profiles, igs,
        };
        server.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var logging = server.Logging(parse);
            using var fhir = server.CreateClient(parse, logging);
            var path = parse.GetValue(input)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new UsageException($"no file or folder {path}");
            }

            var upsert = !parse.GetValue(noUpsert);
            var dataCode = ExitCodes.Ok;
            IAsyncEnumerable<PushUnit> units;
            if (RegistryInput.IsRegistry(path))
            {
                if (!ExchangeCli.TryRecorded(parse.GetValue(recorded), out var when))
                {
                    return ExitCodes.Usage;
                }

                // The same flow as convert and the service: refused records are reported, the rest is pushed.
                var prepared = RegistryExchange.CreateDefault().Prepare(path, when, ct: ct);
                dataCode = ExchangeCli.Render(prepared);
                if (dataCode == ExitCodes.Usage)
                {
                    return dataCode;
                }

                units = Delivery.Units(prepared, parse.GetValue(mode)).ToAsyncEnumerable();
            }
            else
            {
                var files = FhirInputReader.Files(path);
                if (files.Count == 0)
                {
                    Console.Error.WriteLine($"error: nothing to push: {path} holds no .json, .xml or .ndjson file");
                    return ExitCodes.DataRefused;
                }

                IValidationEngine? validator = null;
                if (parse.GetValue(noValidate))
                {
                    Console.Error.WriteLine("WARNING: --no-validate: resources are pushed WITHOUT profile validation (only the strict parse checks them)");
                }
                else if (ConformanceSources.LoadForValidation(parse.GetValue(igs) ?? [], parse.GetValue(profiles) ?? []) is { } setup)
                {
                    validator = setup.CreateValidator();
                }
                else
                {
                    return ExitCodes.Usage;
                }

                var reader = new FhirInputReader(validator, parse.GetValue(profiles) ?? []);
                units = FhirDelivery.UnitsAsync(reader.ReadAsync(files, ct), parse.GetValue(batch), parse.GetValue(park)!, refused =>
                {
                    foreach (var d in refused.Record.Diagnostics)
                    {
                        Console.Error.WriteLine(d.ToString());
                    }

                    Console.Error.WriteLine($"refused {refused.Record.Source} → {refused.ParkedAt}");
                    dataCode = ExitCodes.DataRefused;
                }, ct);
            }
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

            return ExitCodes.Worst(result.Parked.Count > 0 ? ExitCodes.Runtime : ExitCodes.Ok, dataCode);
        });
        return command;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
