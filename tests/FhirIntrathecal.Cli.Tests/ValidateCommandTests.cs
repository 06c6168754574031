using System.Text.Json;

namespace FhirIntrathecal.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Xml_and_json_inputs_get_located_issues_and_exit_1_on_any_error()
    {
        var xml = Path.Combine(_dir, "bad.xml");
        await File.WriteAllTextAsync(xml, "<Patient xmlns=\"http://hl7.org/fhir\">\n  <gender value=\"bogus\"/>\n  <birthDate value=\"1970\"/>\n</Patient>\n");
        var json = Path.Combine(_dir, "good.json");
        await File.WriteAllTextAsync(json, """{"resourceType":"Patient","gender":"female","birthDate":"1970"}""");

        var result = await CliRunner.RunAsync("validate", xml, json, "--format", "ndjson");

        Assert.Equal(1, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        var bad = lines.Single(l => l.GetProperty("file").GetString()!.EndsWith("bad.xml", StringComparison.Ordinal));
        // As the HL7 reference validator: the code is not in the required ValueSet, and no system of that ValueSet has it.
        Assert.Equal(2, bad.GetProperty("errors").GetInt32());
        var errors = bad.GetProperty("outcome").GetProperty("issue").EnumerateArray().Where(i => i.GetProperty("severity").GetString() == "error").ToList();
        Assert.All(errors, e => Assert.Equal("Patient.gender", e.GetProperty("expression")[0].GetString()));
        Assert.Equal(["VAL_BINDING_CODE_SYSTEM", "VAL_BINDING_REQUIRED"], errors.Select(e => e.GetProperty("details").GetProperty("coding")[0].GetProperty("code").GetString()).Order(StringComparer.Ordinal));
        var issue = errors.Single(e => e.GetProperty("details").GetProperty("coding")[0].GetProperty("code").GetString() == "VAL_BINDING_REQUIRED");
        var position = issue.GetProperty("extension").EnumerateArray().ToDictionary(e => e.GetProperty("url").GetString()!.Split('-')[^1], e => e);
        Assert.Equal(2, position["line"].GetProperty("valueInteger").GetInt32());
        Assert.Equal(3, position["col"].GetProperty("valueInteger").GetInt32());
        var good = lines.Single(l => l.GetProperty("file").GetString()!.EndsWith("good.json", StringComparison.Ordinal));
        Assert.Equal(0, good.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task Every_invalid_ig_example_is_refused_without_ig_because_our_ig_is_always_loaded()
    {
        var folder = Path.Combine(CliRunner.RepoRoot, "profiles", "examples-invalid");
        var expected = Directory.GetFiles(folder, "*.json").Length;

        var result = await CliRunner.RunAsync("validate", folder, "--format", "ndjson");

        Assert.Equal(1, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expected, lines.Count);
        Assert.All(lines, l => Assert.True(l.GetProperty("errors").GetInt32() > 0, l.GetProperty("file").GetString()));
    }

    [Fact]
    public async Task Ndjson_is_validated_line_by_line_each_result_carrying_its_line()
    {
        var file = Path.Combine(_dir, "data.ndjson");
        await File.WriteAllTextAsync(file, string.Join('\n',
            """{"resourceType":"Patient","id":"a","gender":"female"}""",
            "",
            """{"resourceType":"Patient","id":"b","gender":"bogus"}""",
            """{"resourceType":"Patient","id":"c","favouriteColour":"blue"}""") + "\n", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync("validate", file, "--output-format", "NDJSON");

        Assert.Equal(1, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([(1, 0), (3, 2), (4, 1)], lines.Select(l => (l.GetProperty("line").GetInt32(), l.GetProperty("errors").GetInt32())));
        var unknown = lines[2].GetProperty("outcome").GetProperty("issue")[0];
        Assert.Equal("PARSE_UNKNOWN_ELEMENT", unknown.GetProperty("details").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal(4, unknown.GetProperty("extension").EnumerateArray().First(e => e.GetProperty("url").GetString()!.EndsWith("line", StringComparison.Ordinal)).GetProperty("valueInteger").GetInt32());
    }

    [Fact]
    public async Task An_unresolvable_profile_is_a_configuration_error_exit_2()
    {
        var json = Path.Combine(_dir, "good.json");
        await File.WriteAllTextAsync(json, """{"resourceType":"Patient","gender":"female","birthDate":"1970"}""");

        var result = await CliRunner.RunAsync("validate", json, "--profile", "http://example.org/StructureDefinition/nowhere");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--profile http://example.org/StructureDefinition/nowhere cannot be resolved", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_xml_profile_given_with_ig_is_applied_by_meta_profile_and_by_profile()
    {
        var profile = Path.Combine(_dir, "active-patient.xml");
        await File.WriteAllTextAsync(profile, """
            <StructureDefinition xmlns="http://hl7.org/fhir">
              <url value="http://example.org/StructureDefinition/active-patient"/>
              <name value="ActivePatient"/>
              <status value="active"/>
              <kind value="resource"/>
              <abstract value="false"/>
              <type value="Patient"/>
              <baseDefinition value="http://hl7.org/fhir/StructureDefinition/Patient"/>
              <derivation value="constraint"/>
              <differential>
                <element id="Patient.active">
                  <path value="Patient.active"/>
                  <min value="1"/>
                </element>
              </differential>
            </StructureDefinition>
            """);
        var claims = Path.Combine(_dir, "claims.json");
        await File.WriteAllTextAsync(claims, """{"resourceType":"Patient","meta":{"profile":["http://example.org/StructureDefinition/active-patient"]},"gender":"female"}""");
        var plain = Path.Combine(_dir, "plain.json");
        await File.WriteAllTextAsync(plain, """{"resourceType":"Patient","gender":"female"}""");

        var byMeta = await CliRunner.RunAsync("validate", claims, "--ig", profile, "--output-format", "ndjson");
        var byOption = await CliRunner.RunAsync("validate", plain, "--ig", profile, "--profile", "http://example.org/StructureDefinition/active-patient", "--output-format", "ndjson");
        var without = await CliRunner.RunAsync("validate", plain, "--output-format", "ndjson");

        foreach (var refused in new[] { byMeta, byOption })
        {
            Assert.Equal(1, refused.ExitCode);
            var issues = JsonDocument.Parse(refused.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single()).RootElement.GetProperty("outcome").GetProperty("issue").EnumerateArray();
            Assert.Contains(issues, i => i.GetProperty("severity").GetString() == "error" && i.GetProperty("expression")[0].GetString()!.StartsWith("Patient", StringComparison.Ordinal)
                && i.GetRawText().Contains("active", StringComparison.Ordinal));
        }

        Assert.Equal(0, without.ExitCode);
    }
}
