using System.Text.Json;

namespace FhirIntrathecal.Cli.Tests;

public sealed class FhirPathCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-fhirpath-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> PatientFile()
    {
        var file = Path.Combine(_dir, "patient.json");
        await File.WriteAllTextAsync(file, """
            {
              "resourceType": "Patient",
              "id": "p1",
              "active": true,
              "birthDate": "1970-01-01",
              "name": [ { "use": "official", "given": [ "Jane", "J" ], "family": "Doe" } ]
            }
            """);
        return file;
    }

    [Fact]
    public async Task An_expression_starting_with_at_is_a_literal_not_a_response_file()
    {
        var result = await CliRunner.RunAsync("fhirpath", "@1970-01-01 = birthDate", await PatientFile());

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal([true], JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().Select(e => e.GetBoolean()));
    }

    [Fact]
    public async Task A_file_that_is_not_fhir_is_exit_1_and_a_missing_file_exit_2()
    {
        var notFhir = Path.Combine(_dir, "not.json");
        await File.WriteAllTextAsync(notFhir, "{\"hello\": 1}", TestContext.Current.CancellationToken);
        var data = await CliRunner.RunAsync("fhirpath", "id", notFhir);
        var missing = await CliRunner.RunAsync("fhirpath", "id", Path.Combine(_dir, "nowhere.json"));

        Assert.Equal((1, 2), (data.ExitCode, missing.ExitCode));
    }

    [Fact]
    public async Task Prints_the_result_collection_as_a_JSON_array()
    {
        var result = await CliRunner.RunAsync("fhirpath", "name.given | birthDate | active | name.given.count() | 1.50 | name", await PatientFile());
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var doc = JsonDocument.Parse(result.StdOut);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["Jane", "J", "1970-01-01"], items.Take(3).Select(i => i.GetString()));
        Assert.True(items[3].GetBoolean());
        Assert.Equal(2, items[4].GetInt32());
        Assert.Equal("1.50", items[5].GetRawText());
        Assert.Equal("Doe", items[6].GetProperty("family").GetString());
    }

    [Fact]
    public async Task Reports_syntax_errors_exit_2_and_evaluation_errors_exit_1_with_their_position()
    {
        var file = await PatientFile();
        var syntax = await CliRunner.RunAsync("fhirpath", "name.given.where(", file);
        Assert.Equal(2, syntax.ExitCode);
        Assert.Contains("syntax error at position 17", syntax.StdErr, StringComparison.Ordinal);

        var runtime = await CliRunner.RunAsync("fhirpath", "name.given.single()", file);
        Assert.Equal(1, runtime.ExitCode);
        Assert.Contains("evaluation error at position 11", runtime.StdErr, StringComparison.Ordinal);
    }
}
