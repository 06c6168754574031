using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>
/// The HL7 reference validator's own R4 test cases (development half): our error count against the one it recorded.
/// Every run whose count differs is listed in <see cref="Hl7ValidatorDeviations"/> with its reason, and a listed run
/// that stops deviating fails the test too, so the list stays exact.
/// </summary>
public sealed class Hl7ValidatorCaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Dev_cases_agree_with_the_reference_validator_except_the_listed_deviations()
    {
        _ = FhirPackages.Cache;
        var outcomes = Hl7ValidatorCases.Runs().AsParallel().WithDegreeOfParallelism(2).Select(r => Hl7ValidatorCases.Execute(r)).ToList()
            .OrderBy(o => o.Run.Name, StringComparer.Ordinal).ToList();

        Print("dev", outcomes);
        Print("dev core", outcomes.Where(o => o.Run.Tier == "core").ToList());
        Print("dev ext", outcomes.Where(o => o.Run.Tier == "ext").ToList());
        foreach (var module in outcomes.GroupBy(o => o.Run.Module).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var list = module.ToList();
            output.WriteLine($"  module {module.Key}: {list.Count} runs, {list.Count(o => o.VerdictAgrees)} verdicts agree, {list.Count(o => o.Exact)} exact");
        }

        foreach (var o in outcomes.Where(o => !o.Exact))
        {
            output.WriteLine($"DEVIATION {o.Run.Name} [{o.Run.Tier}/{o.Run.Module}]: expected {o.Run.ExpectedErrors} errors, we report {o.Errors}");
            foreach (var m in o.Run.ExpectedMessages)
            {
                output.WriteLine($"    reference: {m}");
            }

            foreach (var m in o.Messages)
            {
                output.WriteLine($"    ours:      {m}");
            }
        }

        var deviating = outcomes.Where(o => !o.Exact).Select(o => o.Run.Name).ToHashSet(StringComparer.Ordinal);
        var listed = Hl7ValidatorDeviations.Runs.Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Empty(deviating.Except(listed).Order(StringComparer.Ordinal));
        Assert.Empty(listed.Except(deviating).Order(StringComparer.Ordinal));
    }

    private void Print(string label, List<Hl7CaseOutcome> outcomes) =>
        output.WriteLine($"HL7 validator cases ({label}): {outcomes.Count} runs, {outcomes.Count(o => o.VerdictAgrees)} verdicts agree, {outcomes.Count(o => o.Exact)} exact");
}
