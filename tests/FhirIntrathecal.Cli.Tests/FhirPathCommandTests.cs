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
    public async Task Reports_syntax_and_evaluation_errors_with_their_position_and_exit_code_1()
    {
        var file = await PatientFile();
        var syntax = await CliRunner.RunAsync("fhirpath", "name.given.where(", file);
        Assert.Equal(1, syntax.ExitCode);
        Assert.Contains("syntax error at position 17", syntax.StdErr, StringComparison.Ordinal);

        var runtime = await CliRunner.RunAsync("fhirpath", "name.given.single()", file);
        Assert.Equal(1, runtime.ExitCode);
        Assert.Contains("evaluation error at position 11", runtime.StdErr, StringComparison.Ordinal);
    }
}
