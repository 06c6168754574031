using System.Text.Json;

namespace FhirIntrathecal.Cli.Tests;

public sealed class NormalizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-normalize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The NDJSON memory figures in the README were measured with this setting (src/FhirIntrathecal.Cli/Runtime.props).</summary>
    [Fact]
    public void The_cli_compacts_a_fragmented_heap_as_its_ndjson_figures_were_measured()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(CliRunner.CliDll, ".runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(9, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
        Assert.False(properties.TryGetProperty("System.GC.Concurrent", out var concurrent) && !concurrent.GetBoolean());
        Assert.False(properties.TryGetProperty("System.GC.Server", out var server) && server.GetBoolean());
    }

    [Fact]
    public async Task Normalizes_a_tree_keeping_relative_paths_and_reports_failures_with_file_line_and_location()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in", "sub")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "sub", "p.json"), """
            {
              "gender": "female",
              "resourceType": "Patient",
              "birthDate": "1970-01-01",
              "name": [ { "given": [ "Jane" ], "family": "Doe" } ]
            }
            """);
        await File.WriteAllTextAsync(Path.Combine(input, "bad.json"), "{\"resourceType\":\"Patient\",\n \"active\": \"yes\"}");
        var output = Path.Combine(_dir, "out");

        var result = await CliRunner.RunAsync("normalize", input, "--out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("1 written, 1 failed", result.StdOut);
        Assert.Contains("bad.json:2:12: error PARSE_WRONG_TYPE at Patient.active", result.StdErr);
        var written = await File.ReadAllTextAsync(Path.Combine(output, "sub", "p.json"));
        Assert.Equal("""{"resourceType":"Patient","name":[{"family":"Doe","given":["Jane"]}],"gender":"female","birthDate":"1970-01-01"}""", written);
        Assert.False(File.Exists(Path.Combine(output, "bad.json")));
    }

    [Fact]
    public async Task Ndjson_is_normalized_line_by_line_and_a_bad_line_names_its_line_number()
    {
        var file = Path.Combine(_dir, "data.ndjson");
        await File.WriteAllLinesAsync(file, [
            """{"resourceType":"Patient","id":"a"}""",
            """{"resourceType":"Patient","id":"b","active":"no"}""",
            "",
            """{"id":"c","resourceType":"Patient"}""",
        ]);
        var output = Path.Combine(_dir, "out");

        var result = await CliRunner.RunAsync("normalize", file, "--out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("data.ndjson:2:", result.StdErr);
        var lines = await File.ReadAllLinesAsync(Path.Combine(output, "data.ndjson"));
        Assert.Equal(["""{"resourceType":"Patient","id":"a"}""", """{"resourceType":"Patient","id":"c"}"""], lines);
    }

    [Fact]
    public async Task A_valid_tree_exits_zero_and_every_output_is_valid_json()
    {
        var file = Path.Combine(_dir, "o.json");
        await File.WriteAllTextAsync(file, """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1.50,"unit":"mg"}}""");
        var output = Path.Combine(_dir, "out");
        var result = await CliRunner.RunAsync("normalize", file, "--out", output);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "o.json")));
        Assert.Equal("1.50", doc.RootElement.GetProperty("valueQuantity").GetProperty("value").GetRawText());
    }

    [Fact]
    public async Task Json_converts_to_xml_and_back_to_the_same_json()
    {
        var file = Path.Combine(_dir, "p.json");
        const string json = """{"resourceType":"Patient","id":"x","name":[{"family":"Doe","given":["Jane",null],"_given":[null,{"extension":[{"url":"http://example.org/e","valueString":"v"}]}]}],"birthDate":"1970"}""";
        await File.WriteAllTextAsync(file, json);
        var xmlOut = Path.Combine(_dir, "xml");
        Assert.Equal(0, (await CliRunner.RunAsync("normalize", file, "--out", xmlOut, "--format", "xml")).ExitCode);
        var xml = await File.ReadAllTextAsync(Path.Combine(xmlOut, "p.xml"));
        Assert.Contains("<family value=\"Doe\"", xml);
        var jsonOut = Path.Combine(_dir, "json");
        Assert.Equal(0, (await CliRunner.RunAsync("normalize", Path.Combine(xmlOut, "p.xml"), "--out", jsonOut, "--format", "json")).ExitCode);
        Assert.Equal(json, await File.ReadAllTextAsync(Path.Combine(jsonOut, "p.json")));
    }

    [Fact]
    public async Task Ndjson_to_xml_writes_one_xml_file_per_resource_named_safely_and_values_are_case_insensitive()
    {
        var file = Path.Combine(_dir, "data.ndjson");
        await File.WriteAllLinesAsync(file, [
            """{"resourceType":"Patient","id":"a","active":true}""",
            """{"resourceType":"Observation","status":"final","code":{"text":"x"}}""",
        ], TestContext.Current.CancellationToken);
        var output = Path.Combine(_dir, "out");

        var result = await CliRunner.RunAsync("normalize", file, "--out", output, "--output-format", "XML");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var folder = Path.Combine(output, "data");
        Assert.Equal(["Patient-a.xml", "line-2.xml"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("<Patient xmlns=\"http://hl7.org/fhir\">", await File.ReadAllTextAsync(Path.Combine(folder, "Patient-a.xml"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "data.ndjson")));
    }
}
