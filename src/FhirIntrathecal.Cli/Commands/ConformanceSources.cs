using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// Loads <c>--ig</c> arguments through the core <see cref="ConformanceLoader"/> and writes its issues to stderr as
/// <c>file:line:col: severity CODE: message</c>; what loads is used even when something else did not.
/// </summary>
internal static class ConformanceSources
{
    public static ConformanceSet Load(IEnumerable<string> igs, IEnumerable<Resource>? extra = null)
    {
        var set = ConformanceLoader.Load(igs, extra: extra);
        foreach (var issue in set.Issues)
        {
            Console.Error.WriteLine(issue.ToString());
        }

        return set;
    }
}
