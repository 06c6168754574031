using System.CommandLine;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Terminology;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Exchange.FhirInput;
using FhirIntrathecal.Firely;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>validate &lt;files|dirs...&gt;</c>: validate FHIR JSON instances; exit code 1 when any has an error.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "FHIR JSON, XML or NDJSON files (NDJSON line by line), or folders (searched for *.json, *.xml, *.ndjson)", Arity = ArgumentArity.OneOrMore };
        var profiles = new Option<string[]>("--profile") { Description = "Canonical URL of a profile every instance must meet (repeatable)" };
        var igs = new Option<string[]>("--ig") { Description = "FHIR package folder, .tgz, or conformance resource file/folder (repeatable)" };
        var tx = new Option<string?>("--tx") { Description = "Terminology server base URL for codes local content cannot decide" };
        var format = new Option<string>("--output-format", "--format") { Description = "What validate prints: text | json | ndjson (an OperationOutcome per file or NDJSON line)", DefaultValueFactory = _ => "text" };
        format.OneOf("text", "json", "ndjson");
        var engine = new Option<string>("--engine") { Description = "ours | firely (Firely's validator with the same definitions)", DefaultValueFactory = _ => "ours" };
        engine.OneOf("ours", "firely");
        var command = new Command("validate", "Validate FHIR R4 JSON, XML and NDJSON instances against their definitions and profiles") { inputs, profiles, igs, tx, format, engine };
        command.SetAction(parse => Run(
            parse.GetValue(inputs) ?? [],
            parse.GetValue(profiles) ?? [],
            parse.GetValue(igs) ?? [],
            parse.GetValue(tx),
            parse.GetValue(format) ?? "text",
            parse.GetValue(engine) ?? "ours"));
        return command;
    }

    private static int Run(string[] inputs, string[] profiles, string[] igs, string? tx, string format, string engineName)
    {
        var missing = inputs.Where(i => !File.Exists(i) && !Directory.Exists(i)).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"no file or folder {string.Join(", ", missing)}");
        }

        var files = inputs.SelectMany(FhirInputReader.Files).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"error: nothing to validate: {string.Join(", ", inputs)} holds no .json, .xml or .ndjson file");
            return ExitCodes.DataRefused;
        }

        using var http = tx is null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // Our IG is always there (embedded), so a resource claiming our profiles is checked against them without --ig.
        if (ConformanceSources.LoadForValidation(igs, profiles) is not { } setup)
        {
            return ExitCodes.Usage;
        }

        IValidationEngine validator = engineName == "firely"
            ? new FirelyValidationEngine(setup.Conformance.Resolver)
            : setup.CreateValidator(new FhirValidatorSettings { RemoteTerminology = tx is null ? null : new RemoteTerminologyService(http!, new Uri(tx)) });
        var reader = new FhirInputReader(validator, profiles);

        // Files in parallel; inside a file (NDJSON), line by line, each line its own result located at its line.
        var results = new (string File, long Line, ValidationResult Result)[files.Count][];
        Parallel.For(0, files.Count, i => results[i] = Read(reader, files[i]));
        var all = results.SelectMany(r => r).ToList();
        Write(all, format);
        return all.Any(r => !r.Result.IsValid) ? ExitCodes.DataRefused : ExitCodes.Ok;
    }

    private static (string File, long Line, ValidationResult Result)[] Read(FhirInputReader reader, string file)
    {
        try
        {
            return reader.ReadAsync([file]).ToBlockingEnumerable().Select(r => (r.File, r.Line, r.Result)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [(file, 0, new ValidationResult([new ValidationIssue(Fhir.Serialization.IssueSeverity.Fatal, IssueTypes.Exception, "VAL_IO", e.Message, "")]))];
        }
    }

    private static void Write(List<(string File, long Line, ValidationResult Result)> results, string format)
    {
        using var stdout = Console.OpenStandardOutput();
        if (format == "text")
        {
            using var w = new StreamWriter(stdout);
            foreach (var (file, line, r) in results)
            {
                w.WriteLine($"{file}{(line > 0 ? $":{line}" : string.Empty)}: {(r.IsValid ? "valid" : "INVALID")} ({r.ErrorCount} errors, {r.WarningCount} warnings)");
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

        foreach (var (file, line, result) in results)
        {
            writer.WriteStartObject();
            writer.WriteString("file", file);
            if (line > 0)
            {
                writer.WriteNumber("line", line);
            }

            writer.WriteNumber("errors", result.ErrorCount);
            writer.WriteNumber("warnings", result.WarningCount);
            writer.WritePropertyName("outcome");
            writer.WriteRawValue(FhirJsonSerializer.SerializeToUtf8Bytes(result.ToOperationOutcome()), skipInputValidation: true);
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
