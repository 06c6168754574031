using System.CommandLine;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Exchange;
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
        modality.AcceptOnlyFromAmong("single-shot", "pump");
        var command = new Command("generate-cohort", "Write a synthetic registry: the published single-shot cohort's marginals exactly, or a pump cohort from the brief's distributions") { seed, output, modality };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            if (parse.GetValue(modality) == "pump")
            {
                var pumps = PumpCohortGenerator.Generate(parse.GetValue(seed));
                PumpRegistryCsv.WriteFolder(pumps, dir);
                Console.WriteLine($"{pumps.Patients.Count} patients, {pumps.Implants.Count} pumps, {pumps.Refills.Count} refills, {pumps.Events.Count} complications → {dir}");
                return 0;
            }

            var registry = CohortGenerator.Generate(parse.GetValue(seed));
            RegistryCsv.WriteFolder(registry, dir);
            Console.WriteLine($"{registry.Patients.Count} patients, {registry.Administrations.Count} administrations → {dir}");
            return 0;
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
        var format = new Option<string>("--format") { Description = "md or json", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json");
        var charts = new Option<string?>("--charts") { Description = "Folder for SVG charts" };
        var command = new Command("report", "Recompute the study table from a registry or from FHIR resources") { source, format, charts };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(source)!;
            if (PumpReportWriter.TryLoad(dir, e => Console.Error.WriteLine($"error: {e}")) is { } pumps)
            {
                var pumpReport = PumpReport.Compute(pumps);
                Console.Write(parse.GetValue(format) == "json" ? PumpReportWriter.ToJson(pumpReport) + Environment.NewLine : PumpReportWriter.ToMarkdown(pumpReport));
                return 0;
            }

            var registry = LoadRegistry(dir);
            var report = StudyReport.Compute(registry);
            Console.Write(parse.GetValue(format) == "json" ? ReportWriter.ToJson(report) + Environment.NewLine : ReportWriter.ToMarkdown(report));
            if (parse.GetValue(charts) is { } chartDir)
            {
                foreach (var file in SvgCharts.WriteAll(report, chartDir))
                {
                    Console.Error.WriteLine($"chart: {file}");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>A registry (CSV or JSON, see <see cref="RegistryInput"/>) is read as such; anything else is read as FHIR.</summary>
    internal static Registry LoadRegistry(string dir)
    {
        if (RegistryInput.IsRegistry(dir))
        {
            var read = RegistryInput.Read(dir);
            foreach (var e in read.Errors)
            {
                Console.Error.WriteLine($"error: {e}");
            }

            return read.Registry;
        }

        return FhirToDomain.Read(FhirFiles.Read(dir));
    }
}
