using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// A MeasureReport against its Measure, and the self-consistency of SearchParameters and StructureDefinitions, as the
/// reference validator checks them.
/// </summary>
internal sealed partial class ValidationRun
{
    private void ValidateMeasureReport(MeasureReport report, string path)
    {
        if (report.Measure?.Value is not { } canonical || Validator.Resolver.ResolveCanonical(canonical) is not Measure measure)
        {
            return;
        }

        var matched = new HashSet<Measure.GroupComponent>(ReferenceEqualityComparer.Instance);
        var single = measure.Group.Count == 1 && report.Group.Count == 1;
        for (var i = 0; i < report.Group.Count; i++)
        {
            var group = report.Group[i];
            var at = $"{path}.group[{i}]";
            // Groups are matched by code; only a report and measure with one group each may leave it out.
            var definition = single && group.Code is null ? measure.Group[0] : group.Code is null ? null : measure.Group.FirstOrDefault(g => SameConcept(g.Code, group.Code));
            if (definition is null)
            {
                Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.MeasureReport,
                    "Group should have a code that matches the group definition in the measure.", at, null, null);
                continue;
            }

            matched.Add(definition);
            ValidateMeasureReportGroup(report, group, definition, at);
        }

        foreach (var missing in measure.Group.Where(g => !matched.Contains(g)))
        {
            Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.MeasureReport,
                $"The MeasureReport does not include a group for the group with code '{CodeText(missing.Code)}'.", path, null, null);
        }
    }

    private void ValidateMeasureReportGroup(MeasureReport report, MeasureReport.GroupComponent group, Measure.GroupComponent definition, string at)
    {
        for (var j = 0; j < group.Population.Count; j++)
        {
            if (group.Population[j].SubjectResults is not null && report.Type?.Value != "subject-list")
            {
                Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.MeasureReport,
                    "Reports where type is not 'subject-list' don't have subjects listed.", $"{at}.population[{j}]", null, null);
            }
        }

        var matched = new HashSet<Measure.StratifierComponent>(ReferenceEqualityComparer.Instance);
        for (var k = 0; k < group.Stratifier.Count; k++)
        {
            var stratifier = group.Stratifier[k];
            var definitionStratifier = definition.Stratifier.FirstOrDefault(s => stratifier.Code.Any(c => SameConcept(s.Code, c)));
            if (definitionStratifier is null)
            {
                Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.MeasureReport,
                    "Group should have a code that matches the group stratifier definition in the measure.", $"{at}.stratifier[{k}]", null, null);
                continue;
            }

            matched.Add(definitionStratifier);
        }

        foreach (var missing in definition.Stratifier.Where(s => !matched.Contains(s)))
        {
            Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.MeasureReport,
                $"The MeasureReport does not include a stratifier for the stratifier with code '{CodeText(missing.Code)}' (id = '{missing.Id}').", at, null, null);
        }
    }

    /// <summary>Two concepts name the same thing when they share a system#code (or both are absent).</summary>
    private static bool SameConcept(CodeableConcept? a, CodeableConcept? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Coding.Any(x => b.Coding.Any(y => x.Code?.Value is not null && x.Code.Value == y.Code?.Value && x.System?.Value == y.System?.Value))
              || (a.Coding.Count == 0 && b.Coding.Count == 0 && a.Text?.Value is { } t && t == b.Text?.Value);

    private static string CodeText(CodeableConcept? code) =>
        code?.Coding.FirstOrDefault() is { } c ? $"{c.System?.Value}#{c.Code?.Value}" : code?.Text?.Value ?? "";

    private void ValidateSearchParameter(SearchParameter sp, string path)
    {
        if (sp.Type?.Value == "composite" && sp.Component.Count < 2)
        {
            Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.SearchParameter,
                "When the SearchParameter has a type of 'composite', then the SearchParameter must define two or more components.", path, null, null);
        }

        var bases = sp.Base.Select(b => b.Value).OfType<string>().ToList();
        if (sp.DerivedFrom?.Value is { } derivedFrom && Validator.Resolver.ResolveCanonical(derivedFrom) is SearchParameter parent)
        {
            var parentBases = parent.Base.Select(b => b.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var b in bases.Where(b => !parentBases.Contains(b) && !parentBases.Contains("Resource")))
            {
                Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.SearchParameter,
                    $"The resource type {b} is not listed as a base in the SearchParameter this is derived from ({derivedFrom}).", path, null, null);
            }
        }

        // Each path of the expression starts at one of the bases (a resource type outside them can never match).
        if (sp.Expression?.Value is { } expression && bases.Count > 0 && !bases.Any(b => b is "Resource" or "DomainResource"))
        {
            foreach (var part in expression.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var head = new string(part.TrimStart('(').TakeWhile(char.IsLetterOrDigit).ToArray());
                if (head.Length > 0 && char.IsUpper(head[0]) && ModelInfo.GetResourceType(head) is not null && !bases.Contains(head)
                    && head is not ("Resource" or "DomainResource"))
                {
                    Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.SearchParameter,
                        $"Error in search expression '{expression}': the name '{head}' is not valid for any of the possible types: [{string.Join(", ", bases)}].",
                        path + ".expression", null, null);
                    break;
                }
            }
        }
    }

    private void ValidateStructureDefinition(StructureDefinition sd, string path)
    {
        // "Other types must have a namespace on them": a type that is not a FHIR type must be an absolute URL (logical models).
        if (sd.Type?.Value is { } type && ModelInfo.GetTypeInfo(type) is null && !type.Contains(':', StringComparison.Ordinal)
            && Validator.Resolver.ResolveCanonical(FhirValidator.CoreProfilePrefix + type) is null)
        {
            Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.StructureDefinition,
                $"The type {type} is not legal because it is not defined in the FHIR specification. Other types must have a namespace on them.", path + ".type", null, null);
        }
    }
}
