namespace FhirIntrathecal.Fhir.Serialization;

public enum IssueSeverity
{
    Fatal,
    Error,
    Warning,
    Information,
}

/// <summary>
/// One finding while reading FHIR content: a stable <see cref="Code"/> (see <see cref="ParseCodes"/>), a message, the
/// FHIRPath-like location (<c>Patient.name[0].given[1]</c>) and the 1-based line/column in the input (0 when unknown).
/// </summary>
public sealed record ParseIssue(IssueSeverity Severity, string Code, string Message, string Location, long Line, long Column)
{
    public override string ToString() =>
        Line > 0 ? $"{Severity.ToString().ToLowerInvariant()} {Code} at {Location} (line {Line}, col {Column}): {Message}"
                 : $"{Severity.ToString().ToLowerInvariant()} {Code} at {Location}: {Message}";
}

/// <summary>Stable codes of parse issues. They are part of the public contract: never renumber or reuse one.</summary>
public static class ParseCodes
{
    /// <summary>The input is not well-formed JSON/XML (truncated, invalid UTF-8, bad token).</summary>
    public const string Syntax = "PARSE_SYNTAX";

    /// <summary>A property/element the definitions do not know.</summary>
    public const string UnknownElement = "PARSE_UNKNOWN_ELEMENT";

    /// <summary>A value of the wrong JSON kind (string where a number is required, object where an array is...).</summary>
    public const string WrongType = "PARSE_WRONG_TYPE";

    /// <summary>The same property twice in one object.</summary>
    public const string DuplicateProperty = "PARSE_DUPLICATE_PROPERTY";

    /// <summary>resourceType missing, not a string, or not an R4 resource type.</summary>
    public const string ResourceType = "PARSE_RESOURCE_TYPE";

    /// <summary>An array where one value is allowed, or a single value where the element repeats.</summary>
    public const string Cardinality = "PARSE_CARDINALITY";

    /// <summary>Empty object, array or string, or a null that is not a primitive-array placeholder.</summary>
    public const string Empty = "PARSE_EMPTY";

    /// <summary>A primitive's lexical form is invalid for its type (bad decimal, boolean as string...).</summary>
    public const string InvalidValue = "PARSE_INVALID_VALUE";

    /// <summary>Nesting deeper than the configured maximum.</summary>
    public const string TooDeep = "PARSE_TOO_DEEP";

    /// <summary>Input larger than a configured limit.</summary>
    public const string TooLarge = "PARSE_TOO_LARGE";

    /// <summary>XML forbidden constructs: DTD, entity declarations, processing instructions in content.</summary>
    public const string Forbidden = "PARSE_FORBIDDEN";

    /// <summary>A choice element given in more than one type (valueString and valueQuantity).</summary>
    public const string ChoiceConflict = "PARSE_CHOICE_CONFLICT";

    /// <summary>An _element companion whose array does not line up with its values.</summary>
    public const string PrimitiveAlignment = "PARSE_PRIMITIVE_ALIGNMENT";

    /// <summary>Wrong XML namespace or element/attribute in the wrong form.</summary>
    public const string Namespace = "PARSE_NAMESPACE";

    /// <summary>More issues than <see cref="ParserOptions.MaxIssues"/>: reading stopped there (the issues before it are kept).</summary>
    public const string TooManyIssues = "PARSE_TOO_MANY_ISSUES";

    /// <summary>XML only: an element out of definition order, or the items of a repeating element not contiguous.</summary>
    public const string ElementOrder = "PARSE_ELEMENT_ORDER";
}

/// <summary>The outcome of reading one resource: the (possibly partial) result and every issue found.</summary>
public sealed class ParseResult<T>
    where T : class
{
    public ParseResult(T? value, IReadOnlyList<ParseIssue> issues)
    {
        Value = value;
        Issues = issues;
    }

    /// <summary>What could be read, even when there were errors.</summary>
    public T? Value { get; }

    public IReadOnlyList<ParseIssue> Issues { get; }

    /// <summary>A value was read and no error or fatal issue was found (warnings allowed).</summary>
    public bool Success => Value is not null && !Issues.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
}

/// <summary>Options shared by the JSON and XML readers.</summary>
public sealed record ParserOptions
{
    public static ParserOptions Strict { get; } = new();

    public static ParserOptions Lenient { get; } = new() { UnknownElements = UnknownElementHandling.Warning };

    /// <summary>Unknown elements are errors (strict, the default) or warnings (lenient; the content is skipped).</summary>
    public UnknownElementHandling UnknownElements { get; init; } = UnknownElementHandling.Error;

    /// <summary>Maximum nesting depth of objects/elements; deeper input is rejected with <see cref="ParseCodes.TooDeep"/>.</summary>
    public int MaxDepth { get; init; } = 256;

    /// <summary>
    /// At most this many issues are collected per input; the next one stops reading with one fatal
    /// <see cref="ParseCodes.TooManyIssues"/> (hostile input such as 500k unknown keys costs bounded work and memory).
    /// </summary>
    public int MaxIssues { get; init; } = 250;

    /// <summary>Whether primitive lexical forms are checked while reading (dates, decimals, ids...).</summary>
    public bool ValidatePrimitives { get; init; } = true;

    /// <summary>Leave out the resources of a root Bundle's entries (<see cref="Json.BundleEntries"/> reads them one by one).</summary>
    internal bool SkipEntryResources { get; init; }
}

public enum UnknownElementHandling
{
    Error,
    Warning,
}
