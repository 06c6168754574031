using FhirIntrathecal.Fhir.Rest;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;
using FhirIntrathecal.Mapping.Report;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Exchange.Tests;

/// <summary>
/// Issue 15's report figures from three sources: the seed-0 pump registry, the FHIR that convert writes from it, and
/// the data pulled back from the sandbox (Medplum's engine) after a push through the exchange — the same report,
/// compared as its full JSON (every figure: indications, dose by year, refill intervals, rate and CI, MAS, Kaplan–Meier).
/// </summary>
public sealed class PumpSandboxRoundTripTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pump-roundtrip-").FullName;
    private SandboxServer? _server;
    private OwnedFhirClient? _fhir;

    public async ValueTask InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions(), TestContext.Current.CancellationToken);
        _fhir = FhirClientFactory.Create(FhirEndpoint.For(_server.BaseUri));
    }

    public async ValueTask DisposeAsync()
    {
        _fhir?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_pump_report_from_the_registry_from_converted_FHIR_and_from_the_sandbox_is_the_same()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = PumpCohortGenerator.Generate(0);
        var registryDir = Path.Combine(_dir, "registry");
        PumpRegistryCsv.WriteFolder(registry, registryDir);
        var prepared = RegistryExchange.CreateDefault().Prepare(registryDir, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), ct: ct);
        Assert.Equal((0, 0), (prepared.Errors, prepared.Warnings));

        var fromRegistry = PumpReportWriter.ToJson(PumpReport.Compute(PumpReportWriter.TryLoad(registryDir, e => Assert.Fail(e))!));
        var converted = Path.Combine(_dir, "converted");
        var written = ConvertOutput.Write(prepared, converted);
        var fromConverted = PumpReportWriter.ToJson(PumpReport.Compute(PumpReportWriter.TryLoad(converted, e => Assert.Fail(e))!));

        var pushed = await new BundlePusher(_fhir!.Client, new PushOptions { ParkDirectory = Path.Combine(_dir, "parked"), Parallelism = 2 })
            .PushAsync(Delivery.Units(prepared, Idempotency.Upsert), null, ct);
        Assert.Empty(pushed.Parked);
        var pullDir = Path.Combine(_dir, "pulled");
        var pulled = await new ResourcePuller(_fhir.Client).PullAsync(new PullOptions { OutDirectory = pullDir, PageSize = 1000, Types = [.. PumpToFhir.ResourceTypes] }, null, ct);
        Assert.Equal(written, pulled.Total);
        var fromSandbox = PumpReportWriter.ToJson(PumpReport.Compute(PumpReportWriter.TryLoad(pullDir, e => Assert.Fail(e))!));

        Assert.Equal(fromRegistry, fromConverted);
        Assert.Equal(fromRegistry, fromSandbox);
        var report = PumpReport.Compute(registry);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Pump report, registry = converted FHIR = sandbox pull: {fromRegistry == fromConverted && fromRegistry == fromSandbox} ({written} resources written, {pulled.Total} pulled in {pushed.Elapsed.TotalSeconds:0} s of push); "
            + $"refill interval mean {report.MeanRefillIntervalDays} d, complications {report.Complications.Rate} per 100 pump-years (95% CI {report.Complications.Lower}–{report.Complications.Upper}), MAS {report.MasBefore} → {report.MasAfter}");
    }
}
