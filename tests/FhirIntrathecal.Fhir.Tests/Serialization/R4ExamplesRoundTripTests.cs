using System.Text.Json;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

public class R4ExamplesRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_R4_example_parses_strictly_and_writes_back_structurally_identical()
    {
        var files = FhirPackages.ExampleFiles();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var result = FhirJsonParser.Parse(bytes);
            if (result.Issues.Count > 0 || result.Value is null)
            {
                failures.Add($"{Path.GetFileName(file)}: {string.Join("; ", result.Issues.Take(3))}");
                continue;
            }

            var written = FhirJsonSerializer.SerializeToUtf8Bytes(result.Value);
            using var expected = JsonDocument.Parse(bytes);
            using var actual = JsonDocument.Parse(written);
            if (JsonCompare.FirstDifference(expected.RootElement, actual.RootElement) is { } difference)
            {
                failures.Add($"{Path.GetFileName(file)}: {difference}");
            }
        }

        var summary = $"R4 examples round-trip: {files.Count - failures.Count} passed, {failures.Count} failed";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var f in failures.Take(50))
        {
            output.WriteLine("  " + f);
        }

        Assert.Equal(5306, files.Count);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures.Take(20)));
    }
}
