using System.Diagnostics;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>
/// profiles/: the committed package matches the FSH, parses with our parser, and every profile
/// has a valid and an invalid example. Profile validation of the examples waits for the validator
/// (branch `validation`); until then the invalid examples are checked for their stated reason only.
/// </summary>
public class ImplementationGuideTests(ITestOutputHelper output)
{
    private static string Profiles => Path.Combine(TestPaths.Root, "profiles");

    private static IEnumerable<string> Json(string dir) => Directory.EnumerateFiles(dir, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.'));

    [Fact]
    public async Task Committed_package_json_is_what_sushi_compiles_from_the_fsh()
    {
        if (!OnPath("node") || !OnPath("npm"))
        {
            Assert.Skip("node/npm are not installed, so SUSHI cannot run; the drift check needs scripts/build-ig.sh --check");
        }

        var psi = new ProcessStartInfo("bash", [Path.Combine(TestPaths.Root, "scripts", "build-ig.sh"), "--check"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        output.WriteLine(await stdout + stderr);
        Assert.True(p.ExitCode == 0, $"scripts/build-ig.sh --check failed:\n{await stdout}\n{stderr}");
    }

    [Fact]
    public void The_canonical_base_in_code_is_the_one_in_sushi_config()
    {
        var config = File.ReadAllLines(Path.Combine(Profiles, "sushi-config.yaml"));
        Assert.Contains($"canonical: {Itm.Canonical}", config);
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(Profiles, "package", "package.json")));
        Assert.Equal(Itm.Canonical, package.RootElement.GetProperty("canonical").GetString());
        Assert.Equal("4.0.1", package.RootElement.GetProperty("dependencies").GetProperty("hl7.fhir.r4.core").GetString());
    }

    [Fact]
    public void Every_package_file_and_example_parses_without_issues()
    {
        var files = Json(Path.Combine(Profiles, "package")).Concat(Json(Path.Combine(Profiles, "package", "example"))).Concat(Json(Path.Combine(Profiles, "examples-invalid"))).ToList();
        Assert.True(files.Count > 70, $"only {files.Count} files");
        foreach (var file in files.Where(f => !f.EndsWith("package.json", StringComparison.Ordinal)))
        {
            var result = FhirJsonParser.Parse(File.ReadAllText(file));
            Assert.True(result.Value is not null && result.Issues.Count == 0, $"{file}: {string.Join("; ", result.Issues)}");
        }
    }

    [Fact]
    public void Every_profile_has_a_valid_and_an_invalid_example_and_invalid_ones_state_their_reason()
    {
        var profiles = Json(Path.Combine(Profiles, "package"))
            .Select(f => FhirJsonParser.Parse(File.ReadAllText(f)).Value)
            .OfType<StructureDefinition>()
            .Where(sd => sd.Type?.Value != "Extension")
            .Select(sd => sd.Url!.Value!)
            .ToList();
        Assert.Equal(16 + 19, profiles.Count); // single shot + pump (issue 15)
        List<Resource> Examples(string dir) => Json(dir).Select(f => FhirJsonParser.Parse(File.ReadAllText(f)).Value!).ToList();
        var valid = Examples(Path.Combine(Profiles, "package", "example"));
        var invalid = Examples(Path.Combine(Profiles, "examples-invalid"));
        foreach (var url in profiles)
        {
            // Valid examples are instances of the profile (SUSHI sets meta.profile from InstanceOf).
            Assert.True(valid.Any(r => r.Meta?.Profile.Any(p => p.Value == url) == true), $"no valid example for {url}");
            Assert.True(invalid.Any(r => r.Meta?.Profile.Any(p => p.Value == url) == true), $"no invalid example for {url}");
        }

        Assert.All(invalid, r => Assert.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">INVALID: ", ((DomainResource)r).Text?.Div?.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_mapping_emits_only_profiles_and_extensions_the_package_defines()
    {
        var urls = Json(Path.Combine(Profiles, "package")).Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Where(e => e.TryGetProperty("url", out _)).Select(e => e.GetProperty("url").GetString()!).ToHashSet(StringComparer.Ordinal);
        var json = string.Concat(DomainToFhir.TransactionBundles(Cohort.CohortGenerator.Generate(0), new ExportOptions("x", DateTimeOffset.UnixEpoch)).Take(5).Select(p => FhirJsonSerializer.SerializeToString(p.Bundle)));
        var used = System.Text.RegularExpressions.Regex.Matches(json, "\"(https://fhirintrathecal\\.example\\.org/fhir/(StructureDefinition|CodeSystem)/[^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(used);
        Assert.All(used, u => Assert.Contains(u, urls));
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
