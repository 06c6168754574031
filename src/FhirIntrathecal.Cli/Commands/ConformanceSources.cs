using FhirIntrathecal.Exchange.FhirInput;
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
        Print(set);
        return set;
    }

    /// <summary>R4 core + embedded IG + <c>--ig</c> for validating input; null (after one line per problem) on a configuration error.</summary>
    public static ValidationSetup? LoadForValidation(IEnumerable<string> igs, IEnumerable<string> profiles)
    {
        var setup = ValidationSetup.Load(igs, profiles);
        Print(setup.Conformance);
        foreach (var p in setup.UnknownProfiles)
        {
            Console.Error.WriteLine($"error: --profile {p} cannot be resolved (not in R4 core, the embedded IG or any --ig)");
        }

        return setup.HasConfigurationErrors ? null : setup;
    }

    private static void Print(ConformanceSet set)
    {
        foreach (var issue in set.Issues)
        {
            Console.Error.WriteLine(issue.ToString());
        }
    }
}
