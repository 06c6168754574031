using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Conformance;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.Report;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// The server leg of the demo in one call: sandbox → check → generate-cohort → push (twice: the rerun adds nothing)
/// → pull → report. <c>demo</c> can call <see cref="RunAsync"/>; each step prints one line.
/// </summary>
internal static class CohortRoundTrip
{
    public static async Task<bool> RunAsync(string outDir, Action<string> step, CancellationToken ct)
    {
        step("Starting the FHIR sandbox");
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), ct).ConfigureAwait(false);
        using var fhir = FhirClientFactory.Create(FhirEndpoint.For(sandbox.BaseUri));

        step($"Checking {sandbox.BaseUri}");
        var check = await new ConformanceChecker(fhir.Client).RunAsync(null, ct).ConfigureAwait(false);
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "check-report.md"), check.ToMarkdown(), ct).ConfigureAwait(false);
        Console.WriteLine($"  {(check.Passed ? "PASS" : "FAIL")}: {check.Count(CheckStatus.Pass)} pass, {check.Count(CheckStatus.Skip)} skipped, {check.Count(CheckStatus.Fail)} fail");

        step("Generating the synthetic cohort and pushing it, twice");
        var registryDir = Path.Combine(outDir, "registry");
        RegistryCsv.WriteFolder(CohortGenerator.Generate(0), registryDir);
        var pusher = new BundlePusher(fhir.Client, new PushOptions { ParkDirectory = Path.Combine(outDir, "parked") });
        const string recorded = "2024-01-01T00:00:00Z";
        var first = await pusher.PushAsync(RegistryPushSource.Units(registryDir, RegistryIdempotency.Upsert, 50, recorded), null, ct).ConfigureAwait(false);
        var second = await pusher.PushAsync(RegistryPushSource.Units(registryDir, RegistryIdempotency.Upsert, 50, recorded), null, ct).ConfigureAwait(false);
        Console.WriteLine($"  {first.Resources} resources in {first.Units} transactions, {first.Resources / first.Elapsed.TotalSeconds:F0}/s; rerun: {second.Parked.Count + first.Parked.Count} parked");

        step("Pulling everything back and recomputing the study table from the server's data");
        var pullDir = Path.Combine(outDir, "pull");
        var pulled = await new ResourcePuller(fhir.Client).PullAsync(new PullOptions { OutDirectory = pullDir, PageSize = 500 }, null, ct).ConfigureAwait(false);
        var report = StudyReport.Compute(FhirToDomain.Read(FhirFiles.Read(pullDir)));
        Console.WriteLine($"  {pulled.Total} resources pulled (pushed {first.Resources}); {report.Patients} patients ({report.Male} male, {report.Female} female), {report.Administrations} administrations");
        return check.Passed && first.Parked.Count == 0 && second.Parked.Count == 0 && pulled.Total == first.Resources
            && report.Male == PublishedCohort.Male && report.Female == PublishedCohort.Female && report.Administrations == PublishedCohort.AdministrationsMale + PublishedCohort.AdministrationsFemale;
    }
}
