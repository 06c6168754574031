using System.CommandLine;
using FhirIntrathecal.Cli.Commands;

var root = new RootCommand("FhirIntrathecal: FHIR R4 adapter for single-shot intrathecal therapy.")
{
    PackagesCommand.Create(),
    ValidateCommand.Create(),
    SnapshotCommand.Create(),
    NormalizeCommand.Create(),
    DemoCommand.Create(),
    CohortCommands.GenerateCohort(),
    CohortCommands.Convert(),
    CohortCommands.Report(),
    CohortCommands.ExportRegistry(),
    ServiceCommands.Serve(),
    ServiceCommands.Health(),
    ServiceCommands.Outbox(),
    FhirPathCommand.Create(),
    PushCommand.Create(),
    PullCommand.Create(),
    CheckCommand.Create(),
    SandboxCommand.Create(),
    ViewCommand.Create(),
};

return await ExitCodes.RunAsync(root, args).ConfigureAwait(false);
