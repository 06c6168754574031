using System.CommandLine;
using System.Net.Sockets;
using FhirIntrathecal.Fhir.Rest;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>A problem with how the command was called or configured (exit 2): an option, a missing setting, a bad path.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The documented exit codes, and the one place outcomes become codes: every command returns one of these; a parse
/// error is 2; an exception that escapes a command is one line on stderr (never a stack trace) and 2 or 3 by its type.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Everything was accepted.</summary>
    public const int Ok = 0;

    /// <summary>Data was refused (a record, row, resource or file; what else was valid went through), or there was none.</summary>
    public const int DataRefused = 1;

    /// <summary>Usage or configuration: a bad option, an unresolvable --profile, an unreadable --ig, input that does not exist.</summary>
    public const int Usage = 2;

    /// <summary>Runtime failure: the server could not be reached or refused, transactions were parked, an unexpected failure.</summary>
    public const int Runtime = 3;

    /// <summary>The worst of several outcomes (runtime &gt; usage &gt; data refused &gt; ok).</summary>
    public static int Worst(params int[] codes) => codes.Length == 0 ? Ok : codes.Max();

    /// <summary>Parses and runs; the top-level handler of the whole tool.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        // No response files: an argument starting with '@' is itself (a FHIRPath literal such as @2024-01-01), never a file to read.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine($"Run '{root.Name} {parse.CommandResult.Command.Name} --help' for usage.");
            return Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The top-level handler: whatever escapes a command becomes one line and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var code = ForException(e);
            Console.Error.WriteLine($"error: {Describe(e)}");
            return code;
        }
    }

    /// <summary>Usage for what the caller can fix in the command line or configuration; runtime for the rest.</summary>
    public static int ForException(Exception e) => e switch
    {
        UsageException or UriFormatException or FileNotFoundException or DirectoryNotFoundException => Usage,
        _ => Runtime,
    };

    private static string Describe(Exception e)
    {
        var message = e switch
        {
            HttpRequestException { InnerException: SocketException s } => $"the server could not be reached ({s.SocketErrorCode})",
            HttpRequestException h => $"the server could not be reached: {h.Message}",
            FhirOperationException f => f.Message,
            OperationCanceledException => "cancelled or timed out",
            UsageException or UriFormatException or FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException => e.Message,
            _ => $"unexpected {e.GetType().Name}: {e.Message}",
        };
        // One line, whatever the message holds.
        return message.ReplaceLineEndings(" ");
    }
}
