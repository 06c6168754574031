using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Where a value is being validated: the run collecting issues, the profile and element the rule comes from, and the value's path.</summary>
internal readonly record struct Scope(ValidationRun Run, CompiledProfile Profile, ElementNode Node, string Path)
{
    public void Report(Serialization.IssueSeverity severity, string type, string messageId, string message, string? path = null) =>
        Run.Report(severity, type, messageId, message, path ?? Path, Node.Id, Profile.Url);
}

/// <summary>One compiled rule of an element (fixed, pattern, binding, invariant...), checked against each value of that element.</summary>
internal abstract class ElementAssertion
{
    /// <param name="value">A <see cref="Base"/>, or a plain .NET value for System-typed elements (Element.id, Extension.url).</param>
    public abstract void Validate(object value, in Scope scope);
}

/// <summary>Builds the assertions of one ElementDefinition. Holds what assertions share (terminology, invariant engine).</summary>
internal sealed class AssertionFactory
{
    private const string BestPracticeExtension = "http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice";

    private readonly FhirValidator _validator;

    public AssertionFactory(FhirValidator validator) => _validator = validator;

    public IReadOnlyList<ElementAssertion> Create(ElementDefinition ed, string profileUrl)
    {
        var list = new List<ElementAssertion>();
        if (ed.Fixed is { } f)
        {
            list.Add(new FixedAssertion(f));
        }

        if (ed.Pattern is { } p)
        {
            list.Add(new PatternAssertion(p));
        }

        if (ed.MaxLength?.Value is int maxLength and > 0)
        {
            list.Add(new MaxLengthAssertion(maxLength));
        }

        if (ed.Extension.FirstOrDefault(e => e.Url == MinLengthAssertion.ExtensionUrl)?.Value is Integer { Value: int minLength and > 0 })
        {
            list.Add(new MinLengthAssertion(minLength));
        }

        if (ed.MinValue is { } min)
        {
            list.Add(new RangeAssertion(min, isMin: true));
        }

        if (ed.MaxValue is { } max)
        {
            list.Add(new RangeAssertion(max, isMin: false));
        }

        if (ed.Binding is { ValueSet.Value: { } vs } binding && binding.Strength?.Value is "required" or "extensible")
        {
            list.Add(new BindingAssertion(_validator.Terminology, vs, binding.Strength.Value == "required"));
        }

        foreach (var c in ed.Constraint)
        {
            if (c.Key?.Value is { } key && c.Expression?.Value is { } expr)
            {
                var bestPractice = c.Extension.Any(e => e.Url == BestPracticeExtension && e.Value is FhirBoolean { Value: true });
                if (bestPractice && _validator.Settings.BestPractice == BestPracticeLevel.Ignore)
                {
                    continue;
                }

                var isWarning = bestPractice ? _validator.Settings.BestPractice != BestPracticeLevel.Error : c.Severity?.Value == "warning";
                var assertion = _validator.Invariants.Compile(key, expr, isWarning, c.Human?.Value ?? key);
                if (assertion is not null)
                {
                    list.Add(assertion);
                }
            }
        }

        return list.Count == 0 ? [] : list.ToArray();
    }
}
