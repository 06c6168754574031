using System.CommandLine;
using System.Diagnostics;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Exchange.Conformance;
using FhirIntrathecal.Exchange.Report;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Conformance;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.Report;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// <c>demo</c>: the whole product in one go — generate the published cohort, convert and validate it, start the
/// sandbox (unless <c>--server</c>), check it, push, pull back, and recompute the study table from the server's data.
/// </summary>
internal static class DemoCommand
{
    private static readonly DateTimeOffset Recorded = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Where the demo writes its files", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var server = new Option<string?>("--server") { Description = "Use this FHIR server instead of starting the local sandbox" };
        var command = new Command("demo", "Run the end-to-end demo (cohort → FHIR → validation → server → pull → study report)") { outDir, server };
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(outDir)!, parse.GetValue(server), Console.WriteLine, ct).ConfigureAwait(false) ? ExitCodes.Ok : ExitCodes.DataRefused);
        return command;
    }

    /// <summary>Runs the demo; true when every step reproduced what it should.</summary>
    internal static async Task<bool> RunAsync(string outDir, string? serverUrl, Action<string> step, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        step("==> 1. Restoring the pinned FHIR packages (npm, integrity-checked)");
        await new PackageRestorer(new PackageCache(), m => Console.WriteLine("    " + m)).RestoreAsync(PackageManifest.Default, ct).ConfigureAwait(false);

        step("==> 2. Generating the synthetic cohort (seed 0) that reproduces the published study");
        var registry = CohortGenerator.Generate(0);
        var registryDir = Path.Combine(outDir, "registry");
        RegistryCsv.WriteFolder(registry, registryDir);
        Console.WriteLine($"    {registry.Patients.Count} patients, {registry.Administrations.Count} administrations → {registryDir}");

        step("==> 3. Converting to FHIR R4 and validating every resource against the intrathecal profiles");
        var exchange = RegistryExchange.CreateDefault();
        var prepared = exchange.Prepare(registryDir, Recorded, ct: ct);
        var converted = ExchangeCli.Render(prepared) == ExitCodes.Ok;
        var written = ConvertOutput.Write(prepared, Path.Combine(outDir, "fhir"));
        Console.WriteLine($"    {written} resources in {Path.Combine(outDir, "fhir")}, each validated against the IG");

        SandboxServer? sandbox = null;
        try
        {
            Uri baseUri;
            if (serverUrl is null)
            {
                step("==> 4. Starting the local FHIR sandbox (Medplum's FHIR engine on 127.0.0.1)");
                sandbox = await SandboxServer.StartAsync(new SandboxOptions(), ct).ConfigureAwait(false);
                baseUri = sandbox.BaseUri;
            }
            else
            {
                step($"==> 4. Using {serverUrl}");
                baseUri = new Uri(serverUrl.EndsWith('/') ? serverUrl : serverUrl + "/");
            }

            using var fhir = FhirClientFactory.Create(FhirEndpoint.For(baseUri));
            step($"==> 5. Checking {baseUri} for what the adapter needs");
            var check = await new ConformanceChecker(fhir.Client, ExchangeResources.Scope).RunAsync(null, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(outDir, "check-report.md"), check.ToMarkdown(), ct).ConfigureAwait(false);
            Console.WriteLine($"    {(check.Passed ? "PASS" : "FAIL")}: {check.Count(CheckStatus.Pass)} pass, {check.Count(CheckStatus.Skip)} skipped, {check.Count(CheckStatus.Fail)} fail (check-report.md)");

            step("==> 6. Pushing the cohort in idempotent transactions (and again, to show nothing is duplicated)");
            var pusher = new BundlePusher(fhir.Client, new PushOptions { ParkDirectory = Path.Combine(outDir, "parked") });
            var first = await Terminal.ProgressAsync("push", report => pusher.PushAsync(
                Delivery.Units(prepared, Idempotency.Upsert),
                new Progress<PushProgress>(p => report($"{p.Units} transactions, {p.Resources} resources", null)), ct)).ConfigureAwait(false);
            // Read again a day later: a new Provenance.recorded, the same stable identities, so nothing new is created.
            var again = exchange.Prepare(registryDir, Recorded.AddDays(1), ct: ct);
            var second = await pusher.PushAsync(Delivery.Units(again, Idempotency.Upsert), null, ct).ConfigureAwait(false);
            // Entries, not resources: the shared ResearchStudy rides in every patient's transaction and is created once.
            Console.WriteLine($"    {first.Resources} entries in {first.Units} transactions, {first.Resources / Math.Max(0.001, first.Elapsed.TotalSeconds):F0}/s: "
                + $"{first.ResourcesCreated} created, {first.ResourcesUpdated + first.ResourcesMatched} already there (shared ResearchStudy); "
                + $"second push: {second.ResourcesCreated} created, {second.ResourcesUpdated + second.ResourcesMatched} already there; parked: {first.Parked.Count + second.Parked.Count}");

            step("==> 7. Pulling everything back and recomputing the study table from the server's data");
            var pullDir = Path.Combine(outDir, "pull");
            var pulled = await new ResourcePuller(fhir.Client).PullAsync(new PullOptions { OutDirectory = pullDir, PageSize = 500, Types = [.. ExchangeResources.Types] }, null, ct).ConfigureAwait(false);
            // The pulled data is read as `report` reads it: strict parse, duplicates located.
            var pulledInput = await StudyInputs.ReadAsync(pullDir, () => exchange, ct).ConfigureAwait(false);
            foreach (var d in pulledInput.Diagnostics)
            {
                Console.Error.WriteLine(d.ToString());
            }

            var fromServer = StudyReport.Compute(pulledInput.Registry);
            var fromRegistry = StudyReport.Compute(registry);
            var markdown = ReportWriter.ToMarkdown(fromServer);
            await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), markdown, ct).ConfigureAwait(false);
            var charts = SvgCharts.WriteAll(fromServer, Path.Combine(outDir, "charts")).ToList();
            Console.WriteLine($"    {pulled.Total} resources pulled into {pullDir}");
            Console.WriteLine();
            Console.WriteLine(markdown);
            var same = ReportWriter.ToJson(fromServer) == ReportWriter.ToJson(fromRegistry);
            Console.WriteLine($"    The table from the server {(same ? "equals" : "DIFFERS FROM")} the table from the registry; {charts.Count} SVG charts in {Path.Combine(outDir, "charts")}");

            var ok = converted && pulledInput.Errors == 0 && check.Passed && first.Parked.Count == 0 && second.Parked.Count == 0 && second.ResourcesCreated == 0 && same;
            step($"==> {(ok ? "Done" : "Done, with problems (see above)")} in {total.Elapsed.TotalSeconds:F0} s. Everything is under {outDir}.");
            return ok;
        }
        finally
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
