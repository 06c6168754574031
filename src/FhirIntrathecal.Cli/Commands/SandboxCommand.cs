using System.CommandLine;
using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Cli.Commands;

/// <summary><c>sandbox</c>: the in-memory FHIR server on 127.0.0.1 until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => 8080 };
        var command = new Command("sandbox", "Run the in-memory FHIR R4 sandbox server until Ctrl+C") { port };
        command.SetAction(async (parse, ct) =>
        {
            await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = parse.GetValue(port) }, ct).ConfigureAwait(false);
            Console.WriteLine($"FHIR sandbox at {server.BaseUri} (Ctrl+C to stop)");
            try
            {
                // System.CommandLine cancels this token on Ctrl+C / SIGTERM.
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("stopping");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
