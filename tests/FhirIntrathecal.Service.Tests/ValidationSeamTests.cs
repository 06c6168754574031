using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Service.Ingest;
using FhirIntrathecal.Service.Tests.Support;

namespace FhirIntrathecal.Service.Tests;

public sealed class ValidationSeamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_validation_on_an_invalid_resource_is_reported_located_and_kept_out_of_the_outbox()
    {
        var cache = new PackageCache();
        if (!Directory.Exists(cache.Root) || !Directory.EnumerateDirectories(cache.Root, "hl7.fhir.r4.core*").Any())
        {
            TestData.Report(output, $"validation-seam: SKIPPED: no hl7.fhir.r4.core in {cache.Root}; run `fhir-intrathecal packages restore` (test.sh does)");
            Assert.Skip($"no hl7.fhir.r4.core in {cache.Root}; run `fhir-intrathecal packages restore` (test.sh does)");
        }

        var reader = new FhirFileReader(new FhirIntrathecal.Exchange.FhirInput.FhirInputReader(FhirIntrathecal.Mapping.Fhir.IntrathecalIg.CreateValidator(cache)));
        var dir = TestData.TempDir("validate");
        var file = Path.Combine(dir, "in.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            TestData.PatientJson("urn:test:v", "ok"),
            """{"resourceType":"Patient","identifier":[{"system":"urn:test:v","value":"bad"}],"contact":[{"gender":"male"}]}""",
        ]);
        var records = new List<InputRecord>();
        await foreach (var r in reader.ReadAsync(file, "corr", default))
        {
            records.Add(r);
        }

        Assert.Single(records[0].Items);
        Assert.Empty(records[1].Items);
        var error = Assert.Single(records[1].Errors, e => e.Code == "FHIR_INVALID" && e.Message.Contains("VAL_INVARIANT", StringComparison.Ordinal) && e.Message.Contains("pat-1", StringComparison.Ordinal));
        output.WriteLine(error.ToString());
        Assert.Equal("in.ndjson", error.File);
        Assert.Equal(2, error.Line);
        Assert.Contains("contact", error.Path, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }
}
