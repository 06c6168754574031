namespace FhirIntrathecal.Fhir.Views;

/// <summary>How bad a view issue is.</summary>
public enum ViewSeverity
{
    Error,
    Warning,
}

/// <summary>
/// One problem with a ViewDefinition or with running it: a stable <see cref="Code"/> from <see cref="ViewCodes"/> (which fixes
/// message and severity), the detail, the JSON path in the view (<c>select[0].column[1].path</c>) and the 1-based
/// line/column in the view file (0 when unknown); <see cref="Subject"/> names the resource a run-time issue is about.
/// </summary>
public sealed record ViewIssue(string Code, string Detail, string Path, long Line, long Column, string? Subject = null)
{
    public ViewSeverity Severity => ViewCodes.SeverityOf(Code);

    public string Message => ViewCodes.MessageOf(Code) + (Detail.Length > 0 ? ": " + Detail : "");

    /// <summary><c>source:line:col: CODE at path: message</c> (the located form the CLI prints).</summary>
    public string Format(string source)
    {
        var where = Line > 0 ? $"{source}:{Line}:{Column}" : source;
        var subject = Subject is null ? "" : $" [{Subject}]";
        return $"{where}: {Code} at {(Path.Length == 0 ? "(view)" : Path)}{subject}: {Message}";
    }

    public override string ToString() => Format("view");
}

/// <summary>The one catalogue of view issue codes; each fixes its message and severity. Never renumber or reuse a code.</summary>
public static class ViewCodes
{
    public const string Json = "VIEW_JSON";
    public const string WrongKind = "VIEW_WRONG_KIND";
    public const string Required = "VIEW_REQUIRED";
    public const string UnknownProperty = "VIEW_UNKNOWN_PROPERTY";
    public const string Resource = "VIEW_RESOURCE";
    public const string FhirPath = "VIEW_FHIRPATH";
    public const string Name = "VIEW_NAME";
    public const string DuplicateColumn = "VIEW_DUPLICATE_COLUMN";
    public const string UnionColumns = "VIEW_UNION_COLUMNS";
    public const string IterationConflict = "VIEW_ITERATION_CONFLICT";
    public const string Constant = "VIEW_CONSTANT";
    public const string UnknownConstant = "VIEW_UNKNOWN_CONSTANT";
    public const string ColumnType = "VIEW_COLUMN_TYPE";
    public const string NotSingle = "VIEW_NOT_SINGLE";
    public const string WhereNotBoolean = "VIEW_WHERE_NOT_BOOLEAN";
    public const string Evaluation = "VIEW_EVALUATION";
    public const string Input = "VIEW_INPUT";
    public const string Output = "VIEW_OUTPUT";

    private static readonly Dictionary<string, (ViewSeverity Severity, string Message)> Catalogue = new(StringComparer.Ordinal)
    {
        [Json] = (ViewSeverity.Error, "the view is not well-formed JSON"),
        [WrongKind] = (ViewSeverity.Error, "wrong JSON kind"),
        [Required] = (ViewSeverity.Error, "a required property is missing"),
        [UnknownProperty] = (ViewSeverity.Error, "a property the ViewDefinition model does not define"),
        [Resource] = (ViewSeverity.Error, "resource must name an R4 resource type"),
        [FhirPath] = (ViewSeverity.Error, "not a valid FHIRPath expression"),
        [Name] = (ViewSeverity.Error, "names must start with a letter and hold only letters, digits and _"),
        [DuplicateColumn] = (ViewSeverity.Error, "a column name appears twice in the view"),
        [UnionColumns] = (ViewSeverity.Error, "every unionAll branch must have the same columns in the same order"),
        [IterationConflict] = (ViewSeverity.Error, "a select may have only one of forEach, forEachOrNull and repeat"),
        [Constant] = (ViewSeverity.Error, "a constant needs a name and exactly one primitive value[x]"),
        [UnknownConstant] = (ViewSeverity.Error, "the expression uses a constant the view does not define"),
        [ColumnType] = (ViewSeverity.Error, "type must be a FHIR type name"),
        [NotSingle] = (ViewSeverity.Error, "a column that is not a collection returned several values"),
        [WhereNotBoolean] = (ViewSeverity.Error, "a where path must give a single boolean or nothing"),
        [Evaluation] = (ViewSeverity.Error, "FHIRPath evaluation failed"),
        [Input] = (ViewSeverity.Error, "an input resource could not be read"),
        [Output] = (ViewSeverity.Error, "the output could not be written"),
    };

    public static IReadOnlyCollection<string> All => Catalogue.Keys;

    public static ViewSeverity SeverityOf(string code) => Catalogue[code].Severity;

    public static string MessageOf(string code) => Catalogue[code].Message;
}

/// <summary>Raised inside a run for one resource; the caller records <see cref="Issue"/> and goes on with the next resource.</summary>
public sealed class ViewEvaluationException : Exception
{
    public ViewEvaluationException(ViewIssue issue, Exception? inner = null)
        : base(issue.ToString(), inner)
    {
        Issue = issue;
    }

    public ViewEvaluationException()
        : this(new ViewIssue(ViewCodes.Evaluation, "", "", 0, 0))
    {
    }

    public ViewEvaluationException(string message)
        : this(new ViewIssue(ViewCodes.Evaluation, message, "", 0, 0))
    {
    }

    public ViewEvaluationException(string message, Exception inner)
        : this(new ViewIssue(ViewCodes.Evaluation, message, "", 0, 0), inner)
    {
    }

    public ViewIssue Issue { get; }
}
