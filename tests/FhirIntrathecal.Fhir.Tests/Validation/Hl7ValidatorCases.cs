using System.Text.Json;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>One run of an HL7 validator case: the instance, the conformance files to load, the profile asked for, the reference's error count.</summary>
public sealed record Hl7CaseRun(string Name, string Module, string Tier, string File, IReadOnlyList<string> Conformance, string? Profile, int ExpectedErrors, IReadOnlyList<string> ExpectedMessages)
{
    /// <summary>The case's reference validator options that our settings have (<c>security-checks</c>).</summary>
    public FhirValidatorSettings Settings { get; init; } = new();
}

/// <summary>What our validator said on one run.</summary>
public sealed record Hl7CaseOutcome(Hl7CaseRun Run, int Errors, IReadOnlyList<string> Messages)
{
    public bool VerdictAgrees => (Errors == 0) == (Run.ExpectedErrors == 0);

    public bool Exact => Errors == Run.ExpectedErrors;
}

/// <summary>
/// Reads and runs the HL7 validator cases of TestData/validator-r4-dev per its README: a base run per case (the
/// instance against its base definitions and declared profiles) and a profile run when the case names a profile.
/// </summary>
public static class Hl7ValidatorCases
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "validator-r4-dev");

    public static IReadOnlyList<Hl7CaseRun> Runs()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "manifest.json")));
        var runs = new List<Hl7CaseRun>();
        foreach (var test in manifest.RootElement.GetProperty("test-cases").EnumerateArray())
        {
            var name = test.GetProperty("name").GetString()!;
            var module = test.GetProperty("module").GetString()!;
            var tier = test.GetProperty("tier").GetString()!;
            var file = Path.Combine(Folder, test.GetProperty("file").GetString()!);
            var conformance = Files(test, "supporting").Concat(Files(test, "profiles")).ToList();
            var (errors, messages) = Expected(test.GetProperty("java"));
            var settings = new FhirValidatorSettings { SecurityChecks = test.TryGetProperty("security-checks", out var sc) && sc.ValueKind == JsonValueKind.True };
            runs.Add(new Hl7CaseRun(name, module, tier, file, conformance, null, errors, messages) { Settings = settings });
            if (test.TryGetProperty("profile", out var profile))
            {
                var source = Path.Combine(Folder, profile.GetProperty("source").GetString()!);
                var all = conformance.Concat(Files(profile, "supporting")).Append(source).Distinct().ToList();
                var (perrors, pmessages) = Expected(profile.GetProperty("java"));
                runs.Add(new Hl7CaseRun(name + "#profile", module, tier, file, all, source, perrors, pmessages) { Settings = settings });
            }
        }

        return runs;
    }

    public static Hl7CaseOutcome Execute(Hl7CaseRun run, FhirValidatorSettings? settings = null)
    {
        var set = ConformanceLoader.Load(run.Conformance, FhirPackages.Cache);
        var validator = new FhirValidator(set.Resolver, settings ?? run.Settings);
        string[] profiles = [];
        if (run.Profile is not null)
        {
            var loaded = ConformanceLoader.Load([run.Profile], FhirPackages.Cache).Resources;
            profiles = loaded.Count > 0 && CanonicalResolver.CanonicalOf(loaded[0]).Url is { } url ? [url] : [];
        }

        var bytes = File.ReadAllBytes(run.File);
        var result = run.File.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? validator.ValidateXml(bytes, profiles) : validator.ValidateJson(bytes, profiles);
        var errors = result.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList();
        return new Hl7CaseOutcome(run, errors.Count, errors.Select(e => e.ToString()).ToList());
    }

    private static IEnumerable<string> Files(JsonElement test, string key) =>
        test.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(f => Path.Combine(Folder, f.GetString()!))
            : [];

    /// <summary>The reference's outcome: an OperationOutcome file under outcomes/, or inline <c>{"errorCount": N}</c>.</summary>
    private static (int Errors, IReadOnlyList<string> Messages) Expected(JsonElement java)
    {
        if (java.ValueKind == JsonValueKind.Object)
        {
            return (java.GetProperty("errorCount").GetInt32(), []);
        }

        var path = Path.Combine(Folder, "outcomes", java.GetString()!);
        using var outcome = JsonDocument.Parse(File.ReadAllBytes(path));
        var errors = new List<string>();
        if (outcome.RootElement.TryGetProperty("issue", out var issues))
        {
            foreach (var issue in issues.EnumerateArray())
            {
                var severity = issue.GetProperty("severity").GetString();
                if (severity is "error" or "fatal")
                {
                    var text = issue.TryGetProperty("details", out var d) && d.TryGetProperty("text", out var t) ? t.GetString() : "";
                    var at = issue.TryGetProperty("expression", out var x) && x.GetArrayLength() > 0 ? x[0].GetString() : "";
                    errors.Add($"{at}: {text}");
                }
            }
        }

        return (errors.Count, errors);
    }
}
