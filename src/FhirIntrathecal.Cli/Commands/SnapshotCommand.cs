using System.CommandLine;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Snapshot;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>snapshot &lt;sd.json&gt; --out FILE</c>: generate a StructureDefinition's snapshot from its differential.</summary>
internal static class SnapshotCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("structure-definition") { Description = "A StructureDefinition (JSON) with a differential" };
        var igs = new Option<string[]>("--ig") { Description = "FHIR package folder, .tgz, or conformance resources its base may come from (repeatable)" };
        var output = new Option<string>("--out") { Description = "Where to write the StructureDefinition with its snapshot", Required = true };
        var command = new Command("snapshot", "Generate the snapshot of a StructureDefinition from its differential") { input, igs, output };
        command.SetAction(parse =>
        {
            var parsed = FhirJsonParser.Parse<StructureDefinition>(File.ReadAllBytes(parse.GetValue(input)!));
            if (parsed.Value is not { } sd)
            {
                foreach (var issue in parsed.Issues)
                {
                    Console.Error.WriteLine(issue);
                }

                return ExitCodes.DataRefused;
            }

            var resolver = ConformanceSources.Load(parse.GetValue(igs) ?? [], [sd]).Resolver;
            var result = new SnapshotGenerator(resolver).GenerateWithProblems(sd);
            foreach (var problem in result.Problems)
            {
                Console.Error.WriteLine("warning: " + problem);
            }

            File.WriteAllBytes(parse.GetValue(output)!, FhirJsonSerializer.SerializeToUtf8Bytes(result.StructureDefinition, JsonWriteOptions.Pretty));
            Console.WriteLine($"{result.StructureDefinition.Snapshot!.Element.Count} snapshot elements written to {parse.GetValue(output)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
