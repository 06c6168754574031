namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>What kind of problem a <see cref="RegistryError"/> is; the exchange layer's catalogue gives each its stable code.</summary>
public enum RegistryProblem
{
    /// <summary>Fields of one record that contradict each other (e.g. a follow-up NRS without its date).</summary>
    Field,

    /// <summary>A required field is empty or absent.</summary>
    Required,

    /// <summary>A value does not have its field's format (number, date, code list).</summary>
    Format,

    /// <summary>A patient or administration id that is not a FHIR id (<c>[A-Za-z0-9\-\.]{1,64}</c>).</summary>
    Id,

    /// <summary>A second record with an id already used in the same section.</summary>
    Duplicate,

    /// <summary>A row that is not well-formed CSV (stray quote, wrong field count) or JSON that does not parse.</summary>
    Malformed,

    /// <summary>The file's shape: empty, missing header columns, unknown sections or properties.</summary>
    Structure,
}

/// <summary>
/// A located problem in a registry file: file, 1-based line, the column or JSON property name, the message; also the
/// 1-based character <see cref="Position"/> in the line, the field <see cref="Path"/> for JSON (e.g.
/// <c>administrations[3].dose_mg</c>, 0-based indexes) and the <see cref="Record"/> it belongs to
/// (<c>administration P001-A05</c>). Messages name the field and why, never the value (registry data is PHI).
/// </summary>
public sealed record RegistryError(string File, int Line, string Column, string Message)
{
    /// <summary>1-based character position of the offending value in its line; 0 = not known.</summary>
    public int Position { get; init; }

    /// <summary>The field path in a JSON registry, e.g. <c>patients[0].sex</c>; null for CSV.</summary>
    public string? Path { get; init; }

    public RegistryProblem Problem { get; init; } = RegistryProblem.Field;

    /// <summary>The record, e.g. <c>administration P001-A05</c>, or <c>administration (line 7)</c> when its id is unusable.</summary>
    public string? Record { get; init; }

    public override string ToString() => $"{File}:{Line}:{Position}: field '{Column}': {Message}";
}

/// <summary>Where a record that parsed stands in its file: locates any of its fields (for rule and validation diagnostics).</summary>
public sealed class RecordSource(string file, int line, Func<string, RegistryError> locate)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    /// <summary>The location of <paramref name="field"/> (a CSV column / JSON property name) in this record; empty message.</summary>
    public RegistryError Locate(string field) => locate(field);
}

/// <summary>What a reader returns: the rows that parsed, an error for each row that did not, and where each parsed record stands.</summary>
public sealed record RegistryReadResult(FhirIntrathecal.Domain.Registry Registry, IReadOnlyList<RegistryError> Errors)
{
    /// <summary>Parsed records by name (<see cref="RegistryRecords.Name"/>).</summary>
    public IReadOnlyDictionary<string, RecordSource> Sources { get; init; } = new Dictionary<string, RecordSource>();
}

/// <summary>How records are named in diagnostics, and the id rule every registry id obeys.</summary>
public static partial class RegistryRecords
{
    public const string Patient = "patient";
    public const string Administration = "administration";

    public static string Name(string kind, string id) => $"{kind} {id}";

    /// <summary>The FHIR id pattern: ids become resource ids, identifiers and file names, so nothing else is accepted.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex IdPattern();
}
