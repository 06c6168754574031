using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Resolves a reference string (<c>Patient/1</c>, an absolute URL) to a resource, or null.</summary>
public delegate Base? FhirPathResolver(string reference);

/// <summary>Answers <c>memberOf(valueSet)</c> for a code, Coding or CodeableConcept; null when unknown (the result is then empty).</summary>
public delegate bool? FhirPathMemberOf(object codedValue, string valueSetUrl);

/// <summary>Answers <c>conformsTo(profile)</c>; null when the profile is unknown (an evaluation error).</summary>
public delegate bool? FhirPathConformsTo(Base instance, string profileUrl);

/// <summary>
/// The environment of one evaluation: the resources behind <c>%resource</c>/<c>%rootResource</c>, user variables,
/// and hooks for resolve(), memberOf(), conformsTo() and trace(). Reusable across evaluations when not mutated.
/// </summary>
public sealed class EvaluationContext
{
    /// <summary><c>%resource</c>: the resource containing the focus; defaults to the focus when it is a resource.</summary>
    public Base? Resource { get; set; }

    /// <summary><c>%rootResource</c>: the container of a contained resource or the Bundle; defaults to <see cref="Resource"/>.</summary>
    public Base? RootResource { get; set; }

    /// <summary>User variables, referenced as <c>%name</c>. A value may be a single item or an <see cref="IEnumerable{T}"/> of items.</summary>
    public IDictionary<string, object?> Variables { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Extra reference resolution for resolve(); contained resources and Bundle entries are resolved first.</summary>
    public FhirPathResolver? Resolver { get; set; }

    /// <summary>Terminology hook for memberOf(); without it memberOf() returns empty.</summary>
    public FhirPathMemberOf? MemberOf { get; set; }

    /// <summary>Profile hook for conformsTo(); without it conformsTo() is true only for the core profile of the instance's own type.</summary>
    public FhirPathConformsTo? ConformsTo { get; set; }

    /// <summary>Receives trace(name) output; the default writes nothing.</summary>
    public Action<string, IReadOnlyList<object>>? Tracer { get; set; }

    /// <summary>Fixes now()/today()/timeOfDay() (tests); defaults to the clock, read once per evaluation.</summary>
    public DateTimeOffset? Now { get; set; }

    /// <summary>Timeout of each regular expression match in matches()/replaceMatches().</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sets a variable (fluent).</summary>
    public EvaluationContext With(string name, object? value)
    {
        Variables[name] = value;
        return this;
    }
}
