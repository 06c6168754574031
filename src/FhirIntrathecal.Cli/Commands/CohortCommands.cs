using System.CommandLine;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Exchange;
using FhirIntrathecal.Exchange.Report;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;
using FhirIntrathecal.Mapping.Report;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>generate-cohort</c>, <c>convert</c> and <c>report</c>: thin wrappers over FhirIntrathecal.Mapping.</summary>
internal static class CohortCommands
{
    public static Command GenerateCohort()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Registry folder to write (single shot: patients.csv, administrations.csv; pump: implants.csv and the other pump files)", Required = true };
        var modality = new Option<string>("--modality") { Description = "single-shot (the published midazolam cohort) or pump (intrathecal baclofen pumps)", DefaultValueFactory = _ => "single-shot" };
        modality.OneOf("single-shot", "pump");
        var command = new Command("generate-cohort", "Write a synthetic registry: the published single-shot cohort's marginals exactly, or a pump cohort from the brief's distributions") { seed, output, modality };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            if (parse.GetValue(modality) == "pump")
            {
                var pumps = PumpCohortGenerator.Generate(parse.GetValue(seed));
                PumpRegistryCsv.WriteFolder(pumps, dir);
                Console.WriteLine($"{pumps.Patients.Count} patients, {pumps.Implants.Count} pumps, {pumps.Refills.Count} refills, {pumps.Events.Count} complications → {dir}");
                return ExitCodes.Ok;
            }

            var registry = CohortGenerator.Generate(parse.GetValue(seed));
            RegistryCsv.WriteFolder(registry, dir);
            Console.WriteLine($"{registry.Patients.Count} patients, {registry.Administrations.Count} administrations → {dir}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Convert()
    {
        var registryArg = new Argument<string>("registry") { Description = "Registry: a folder with patients.csv + administrations.csv or with registry.json, or a .json registry file" };
        var output = new Option<string>("--out") { Description = "Output folder (bundles/, ndjson/)", Required = true };
        var recorded = new Option<string?>("--recorded") { Description = "Provenance.recorded (ISO 8601; default now). Fix it for reproducible output." };
        var command = new Command("convert", "Convert a registry to FHIR: a transaction Bundle per patient and NDJSON per resource type, every resource validated against the IG") { registryArg, output, recorded };
        command.SetAction(parse =>
        {
            if (!ExchangeCli.TryRecorded(parse.GetValue(recorded), out var when))
            {
                return ExitCodes.Usage;
            }

            var dir = parse.GetValue(output)!;
            var prepared = RegistryExchange.CreateDefault().Prepare(parse.GetValue(registryArg)!, when);
            var code = ExchangeCli.Render(prepared);
            if (code != ExitCodes.Usage)
            {
                var written = ConvertOutput.Write(prepared, dir);
                Console.WriteLine($"{prepared.Summary} → {written} resources in {dir}");
            }

            return code;
        });
        return command;
    }

    public static Command Report()
    {
        var source = new Argument<string>("source") { Description = "Registry (CSV or JSON folder, or a .json registry file) or FHIR folder written by convert (ndjson/ or bundles/)" };
        var format = new Option<string>("--output-format", "--format") { Description = "What report prints: md or json", DefaultValueFactory = _ => "md" };
        format.OneOf("md", "json");
        var charts = new Option<string?>("--charts") { Description = "Folder for SVG charts" };
        var command = new Command("report", "Recompute the study table from a registry or from FHIR resources; refused or duplicate records are listed, an empty source is an error") { source, format, charts };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(source)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new UsageException($"no file or folder {path}");
            }

            if (PumpReportWriter.TryLoad(path, e => Console.Error.WriteLine($"error: {e}")) is { } pumps)
            {
                var pumpReport = PumpReport.Compute(pumps);
                Console.Write(parse.GetValue(format) == "json" ? PumpReportWriter.ToJson(pumpReport) + Environment.NewLine : PumpReportWriter.ToMarkdown(pumpReport));
                return ExitCodes.Ok;
            }

            var input = await StudyInputs.ReadAsync(path, () => RegistryExchange.CreateDefault(), ct).ConfigureAwait(false);
            foreach (var d in input.Diagnostics)
            {
                Console.Error.WriteLine(d.ToString());
            }

            if (input.IsEmpty)
            {
                return ExitCodes.DataRefused;
            }

            var report = StudyReport.Compute(input.Registry);
            Console.Write(parse.GetValue(format) == "json" ? ReportWriter.ToJson(report) + Environment.NewLine : ReportWriter.ToMarkdown(report));
            if (parse.GetValue(charts) is { } chartDir)
            {
                foreach (var file in SvgCharts.WriteAll(report, chartDir))
                {
                    Console.Error.WriteLine($"chart: {file}");
                }
            }

            return input.Errors > 0 ? ExitCodes.DataRefused : ExitCodes.Ok;
        });
        return command;
    }

    public static Command ExportRegistry()
    {
        var source = new Argument<string>("source") { Description = "FHIR resources: a folder written by convert (ndjson/ or bundles/), a pulled folder, or .ndjson/.json/.xml files" };
        var output = new Option<string>("--out") { Description = "Registry folder to write (csv: patients.csv + administrations.csv; json: registry.json)", Required = true };
        var format = new Option<string>("--output-format", "--format") { Description = "What export-registry writes: csv or json (docs/registry-format.md)", DefaultValueFactory = _ => "csv" };
        format.OneOf("csv", "json");
        var command = new Command("export-registry", "FHIR → registry (CSV or JSON, the documented layout): closes the loop for users who started from a registry") { source, output, format };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(source)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new UsageException($"no file or folder {path}");
            }

            var input = await StudyInputs.ReadFhirAsync(path, ct).ConfigureAwait(false);
            foreach (var d in input.Diagnostics)
            {
                Console.Error.WriteLine(d.ToString());
            }

            if (input.IsEmpty)
            {
                return ExitCodes.DataRefused;
            }

            var dir = parse.GetValue(output)!;
            if (parse.GetValue(format) == "json")
            {
                Directory.CreateDirectory(dir);
                RegistryJson.WriteFile(input.Registry, Path.Combine(dir, RegistryJson.FileName));
            }
            else
            {
                RegistryCsv.WriteFolder(input.Registry, dir);
            }

            Console.WriteLine($"{input.Registry.Patients.Count} patients, {input.Registry.Administrations.Count} administrations → {dir}");
            return input.Errors > 0 ? ExitCodes.DataRefused : ExitCodes.Ok;
        });
        return command;
    }
}
