using System.Globalization;
using FhirIntrathecal.Exchange;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>How a prepared registry is rendered (one line per diagnostic, then a summary).</summary>
internal static class ExchangeCli
{
    /// <summary>Parses an optional ISO 8601 time; null text = now. False (after one line on stderr) when it does not parse.</summary>
    public static bool TryRecorded(string? text, out DateTimeOffset recorded)
    {
        recorded = DateTimeOffset.UtcNow;
        if (text is null || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out recorded))
        {
            return true;
        }

        Console.Error.WriteLine("error: --recorded is not an ISO 8601 date-time");
        return false;
    }

    /// <summary>Prints every diagnostic on stderr and a summary line on stdout; returns the exit code for the data.</summary>
    public static int Render(PreparedRegistry prepared)
    {
        foreach (var d in prepared.Diagnostics)
        {
            Console.Error.WriteLine(d.ToString());
        }

        Console.WriteLine($"registry: {prepared.Accepted.Count} record(s) accepted, {prepared.Refused.Count} refused; {prepared.Errors} error(s), {prepared.Warnings} warning(s)");
        return prepared.Diagnostics.Any(d => d.Code == DiagnosticCatalog.RegistryInput.Code) ? ExitCodes.Usage
            : prepared.Errors > 0 ? ExitCodes.DataRefused
            : ExitCodes.Ok;
    }
}
