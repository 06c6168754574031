using System.CommandLine;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Terminology;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Firely;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>validate &lt;files|dirs...&gt;</c>: validate FHIR JSON instances; exit code 1 when any has an error.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "FHIR JSON or XML files, or folders (searched for *.json and *.xml)", Arity = ArgumentArity.OneOrMore };
        var profiles = new Option<string[]>("--profile") { Description = "Canonical URL of a profile every instance must meet (repeatable)" };
        var igs = new Option<string[]>("--ig") { Description = "FHIR package folder, .tgz, or conformance resource file/folder (repeatable)" };
        var tx = new Option<string?>("--tx") { Description = "Terminology server base URL for codes local content cannot decide" };
        var format = new Option<string>("--format") { Description = "text | json | ndjson", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "ndjson");
        var engine = new Option<string>("--engine") { Description = "ours | firely (Firely's validator with the same definitions)", DefaultValueFactory = _ => "ours" };
        engine.AcceptOnlyFromAmong("ours", "firely");
        var bestPractice = new Option<BestPracticeLevel>("--best-practice") { Description = "How best-practice constraints (dom-6...) are reported: warning | error | ignore", DefaultValueFactory = _ => BestPracticeLevel.Warning };
        var securityChecks = new Option<bool>("--security-checks") { Description = "Strings that look like embedded HTML tags are errors (the reference validator's -security-checks)" };
        var command = new Command("validate", "Validate FHIR R4 JSON and XML instances against their definitions and profiles") { inputs, profiles, igs, tx, format, engine, bestPractice, securityChecks };
        command.SetAction(parse => Run(
            parse.GetValue(inputs) ?? [],
            parse.GetValue(profiles) ?? [],
            parse.GetValue(igs) ?? [],
            parse.GetValue(tx),
            parse.GetValue(format) ?? "text",
            parse.GetValue(engine) ?? "ours",
            new FhirValidatorSettings { BestPractice = parse.GetValue(bestPractice), SecurityChecks = parse.GetValue(securityChecks) }));
        return command;
    }

    private static int Run(string[] inputs, string[] profiles, string[] igs, string? tx, string format, string engineName, FhirValidatorSettings settings)
    {
        var files = inputs.SelectMany<string, string>(i => Directory.Exists(i)
            ? Directory.EnumerateFiles(i, "*.*", SearchOption.AllDirectories).Where(IsInstanceFile).Order(StringComparer.Ordinal)
            : [i]).ToList();
        using var http = tx is null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // Our IG is always there (embedded), so a resource claiming our profiles is checked against them without --ig.
        var conformance = ConformanceSources.Load(igs, IntrathecalIg.ConformanceResources);
        var unknown = profiles.Where(p => conformance.Resolver.Resolve<StructureDefinition>(p) is null).ToList();
        foreach (var p in unknown)
        {
            Console.Error.WriteLine($"error: --profile {p} cannot be resolved (not in R4 core, the embedded IG or any --ig)");
        }

        if (unknown.Count > 0)
        {
            return ExitCodes.Usage;
        }

        IValidationEngine validator = engineName == "firely"
            ? new FirelyValidationEngine(conformance.Resolver)
            : new FhirValidator(conformance.Resolver, settings with { RemoteTerminology = tx is null ? null : new RemoteTerminologyService(http!, new Uri(tx)) });

        var results = new ValidationResult[files.Count];
        if (files.Count == 1)
        {
            results[0] = ValidateFile(validator, files[0], profiles);
        }
        else
        {
            Parallel.For(0, files.Count, i => results[i] = ValidateFile(validator, files[i], profiles));
        }

        Write(files, results, format);
        return results.Any(r => !r.IsValid) || conformance.HasErrors ? 1 : 0;
    }

    /// <summary>Package metadata (package.json, .index.json) and hidden files are not instances.</summary>
    private static bool IsInstanceFile(string path)
    {
        var name = Path.GetFileName(path);
        return name != "package.json" && !name.StartsWith('.')
            && (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase));
    }

    private static ValidationResult ValidateFile(IValidationEngine validator, string file, string[] profiles)
    {
        try
        {
            return file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                ? validator.ValidateXml(File.ReadAllBytes(file), profiles)
                : validator.ValidateJson(File.ReadAllBytes(file), profiles);
        }
        catch (IOException e)
        {
            return new ValidationResult([new ValidationIssue(Fhir.Serialization.IssueSeverity.Fatal, IssueTypes.Exception, "VAL_IO", e.Message, "")]);
        }
    }

    private static void Write(List<string> files, ValidationResult[] results, string format)
    {
        using var stdout = Console.OpenStandardOutput();
        if (format == "text")
        {
            using var w = new StreamWriter(stdout);
            for (var i = 0; i < files.Count; i++)
            {
                var r = results[i];
                w.WriteLine($"{files[i]}: {(r.IsValid ? "valid" : "INVALID")} ({r.ErrorCount} errors, {r.WarningCount} warnings)");
                foreach (var issue in r.Issues)
                {
                    w.WriteLine("  " + issue);
                }
            }

            return;
        }

        using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = format == "json" });
        if (format == "json")
        {
            writer.WriteStartArray();
        }

        for (var i = 0; i < files.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("file", files[i]);
            writer.WriteNumber("errors", results[i].ErrorCount);
            writer.WriteNumber("warnings", results[i].WarningCount);
            writer.WritePropertyName("outcome");
            writer.WriteRawValue(FhirJsonSerializer.SerializeToUtf8Bytes(results[i].ToOperationOutcome()), skipInputValidation: true);
            writer.WriteEndObject();
            if (format == "ndjson")
            {
                writer.Flush();
                stdout.WriteByte((byte)'\n');
                writer.Reset();
            }
        }

        if (format == "json")
        {
            writer.WriteEndArray();
        }

    }
}
