using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// <c>fhirpath "&lt;expression&gt;" &lt;file&gt;</c>: evaluates a FHIRPath expression on a FHIR JSON resource and prints the
/// result collection as a JSON array (FHIR JSON for elements, JSON values for System values, date/time and quantity as text).
/// </summary>
internal static class FhirPathCommand
{
    public static Command Create()
    {
        var expressionArgument = new Argument<string>("expression") { Description = "The FHIRPath expression" };
        var fileArgument = new Argument<FileInfo>("file") { Description = "A FHIR JSON resource file (the focus, %resource and %context)" };
        var command = new Command("fhirpath", "Evaluate a FHIRPath expression against a FHIR JSON resource and print the result as a JSON array")
        {
            expressionArgument,
            fileArgument,
        };
        command.SetAction(parse => Run(parse.GetValue(expressionArgument)!, parse.GetValue(fileArgument)!));
        return command;
    }

    private static int Run(string expression, FileInfo file)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"error: file not found: {file.FullName}");
            return ExitCodes.Usage;
        }

        var parsed = FhirJsonParser.ParseImmutable(File.ReadAllBytes(file.FullName));
        if (parsed.Value is null)
        {
            Console.Error.WriteLine($"error: {file.Name} is not a FHIR JSON resource:");
            foreach (var issue in parsed.Issues)
            {
                Console.Error.WriteLine("  " + issue);
            }

            return ExitCodes.DataRefused;
        }

        IReadOnlyList<object> result;
        var compiled = false;
        try
        {
            var expr = FhirPathCompiler.Compile(expression);
            compiled = true;
            result = expr.Evaluate(parsed.Value, new EvaluationContext { Resource = parsed.Value });
        }
        catch (FhirPathException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            if (e.Position >= 0 && !expression.Contains('\n', StringComparison.Ordinal))
            {
                Console.Error.WriteLine("  " + expression);
                Console.Error.WriteLine("  " + new string(' ', Math.Min(e.Position, expression.Length)) + "^");
            }

            // The expression is an argument: a syntax error is the command line's, an evaluation error the data's.
            return compiled ? ExitCodes.DataRefused : ExitCodes.Usage;
        }

        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteCollection(writer, result);
        }

        stdout.WriteByte((byte)'\n');
        return ExitCodes.Ok;
    }

    internal static void WriteCollection(Utf8JsonWriter writer, IReadOnlyList<object> result)
    {
        writer.WriteStartArray();
        foreach (var item in result)
        {
            WriteItem(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteItem(Utf8JsonWriter writer, object item)
    {
        if (item is Base b and not PrimitiveType)
        {
            FhirJsonSerializer.Write(writer, b);
            return;
        }

        switch (FhirPathEvaluator.ToSystemValue(item))
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool v:
                writer.WriteBooleanValue(v);
                break;
            case long v:
                writer.WriteNumberValue(v);
                break;
            case decimal v:
                // Keep the exact scale: 1.50 stays 1.50.
                writer.WriteNumberValue(v);
                break;
            case string v:
                writer.WriteStringValue(v);
                break;
            case FhirPathTypeInfo v:
                writer.WriteStartObject();
                writer.WriteString("namespace", v.Namespace);
                writer.WriteString("name", v.Name);
                writer.WriteEndObject();
                break;
            case var v:
                writer.WriteStringValue(FhirPathEvaluator.ToFhirPathString(v) ?? v.ToString());
                break;
        }
    }
}
