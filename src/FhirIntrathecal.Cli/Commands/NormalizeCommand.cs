using System.CommandLine;
using FhirIntrathecal.Fhir.IO;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>normalize</c>: re-serialize resources (definition order, exact decimals, no empty values).</summary>
internal static class NormalizeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "FHIR files (.json, .xml, .ndjson) or directories", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Output directory", Required = true };
        var format = new Option<string?>("--output-format", "--format") { Description = "What normalize writes: json or xml (default: the input's; NDJSON to xml = one file per resource)" };
        format.OneOf("json", "xml");
        var lenient = new Option<bool>("--lenient") { Description = "Unknown elements are warnings (and dropped) instead of errors" };
        var command = new Command("normalize", "Re-serialize FHIR resources; exit 1 if any input fails") { inputs, output, format, lenient };
        command.SetAction(async (parse, ct) =>
        {
            var options = parse.GetValue(lenient) ? ParserOptions.Lenient : ParserOptions.Strict;
            var outDir = parse.GetValue(output)!;
            var requested = parse.GetValue(format) is { } f ? ResourceFormats.FromName(f) : (FhirFormat?)null;
            int ok = 0, failed = 0;
            foreach (var (path, relative) in InputFiles.Expand(parse.GetValue(inputs)!))
            {
                if (await NormalizeFileAsync(path, relative, outDir, requested, options, ct).ConfigureAwait(false))
                {
                    ok++;
                }
                else
                {
                    failed++;
                }
            }

            Console.WriteLine($"normalize: {ok} written, {failed} failed");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.DataRefused;
        });
        return command;
    }

    private static async Task<bool> NormalizeFileAsync(string path, string relative, string outDir, FhirFormat? requested, ParserOptions options, CancellationToken ct)
    {
        try
        {
            var inputFormat = ResourceFormats.FromPath(path);
            if (inputFormat == FhirFormat.Ndjson)
            {
                return await NormalizeNdjsonAsync(path, relative, outDir, requested ?? FhirFormat.Ndjson, options, ct).ConfigureAwait(false);
            }

            var result = ResourceFormats.Parse(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false), inputFormat, options);
            Report(path, result.Issues);
            if (!result.Success)
            {
                return false;
            }

            var target = requested ?? inputFormat;
            var destination = SafeFileNames.PathUnder(outDir, Path.ChangeExtension(relative, ResourceFormats.Extension(target)));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            await File.WriteAllBytesAsync(destination, ResourceFormats.Serialize(result.Value!, target), ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
        {
            Console.Error.WriteLine($"{path}: error: {e.Message}");
            return false;
        }
    }

    /// <summary>
    /// NDJSON line by line: to NDJSON (or JSON) as one normalized line per resource; to XML, which has no line format,
    /// as one file per resource in a folder named after the input (name.ndjson → name/), each named Type-id.xml through
    /// the core's <see cref="SafeFileNames"/> (line-N.xml without a usable id; never overwriting).
    /// </summary>
    private static async Task<bool> NormalizeNdjsonAsync(string path, string relative, string outDir, FhirFormat target, ParserOptions options, CancellationToken ct)
    {
        var xml = target == FhirFormat.Xml;
        var destination = SafeFileNames.PathUnder(outDir, xml ? Path.ChangeExtension(relative, null) : relative);
        Directory.CreateDirectory(xml ? destination : Path.GetDirectoryName(destination)!);
        var allOk = true;
        await using var input = File.OpenRead(path);
        await using var output = xml ? Stream.Null : File.Create(destination);
        await foreach (var record in Ndjson.ReadAsync(input, options, ct).ConfigureAwait(false))
        {
            Report(path, record.Result.Issues);
            if (!record.Result.Success)
            {
                allOk = false;
            }
            else if (xml)
            {
                var resource = record.Result.Value!;
                var stem = SafeFileNames.Check(resource.Id) == FileNameProblem.None ? $"{resource.TypeInfo.Name}-{resource.Id}" : $"line-{record.LineNumber}";
                var file = SafeFileNames.CreateUnique(destination, stem, ResourceFormats.Extension(FhirFormat.Xml));
                await using (file.ConfigureAwait(false))
                {
                    await file.WriteAsync(ResourceFormats.Serialize(resource, FhirFormat.Xml), ct).ConfigureAwait(false);
                }
            }
            else
            {
                await Ndjson.WriteAsync([record.Result.Value!], output, ct).ConfigureAwait(false);
            }
        }

        return allOk;
    }

    private static void Report(string path, IReadOnlyList<ParseIssue> issues)
    {
        foreach (var issue in issues)
        {
            Console.Error.WriteLine($"{path}:{issue.Line}:{issue.Column}: {issue.Severity.ToString().ToLowerInvariant()} {issue.Code} at {issue.Location}: {issue.Message}");
        }
    }
}
