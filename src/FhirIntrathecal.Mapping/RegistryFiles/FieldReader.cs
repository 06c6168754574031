using System.Globalization;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>
/// Reads typed fields of one row by column name. The first failure is kept as <see cref="Error"/>
/// (located by <c>locate</c>: file, line and column, or for JSON the value's line, position and path) and later
/// reads return defaults, so a row parser reads straight through and the caller drops the row. CSV and JSON
/// share it: the JSON reader hands over each value as its CSV text once its JSON type has been checked.
/// </summary>
internal sealed class FieldReader(Func<string, string> get, Func<string, string, RegistryError> locate)
{
    public RegistryError? Error { get; private set; }

    public string Text(string column)
    {
        var value = get(column).Trim();
        return value.Length == 0 ? Fail(column, "is required", string.Empty, RegistryProblem.Required) : value;
    }

    /// <summary>A required id that must match the FHIR id pattern (it becomes a resource id and a file name).</summary>
    public string Id(string column)
    {
        var value = Text(column);
        return value.Length == 0 || RegistryRecords.IsValidId(value) ? value
            : Fail(column, "is not a valid id", value, RegistryProblem.Id);
    }

    public string? OptionalText(string column) => get(column).Trim() is { Length: > 0 } v ? v : null;

    public int Int(string column) => OptionalInt(column) ?? Fail(column, "is required", 0, RegistryProblem.Required);

    public int? OptionalInt(string column) =>
        OptionalText(column) is not { } v ? null
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : Fail<int?>(column, "is not a whole number", null, RegistryProblem.Format);

    public decimal Decimal(string column) => OptionalDecimal(column) ?? Fail(column, "is required", 0m, RegistryProblem.Required);

    public decimal? OptionalDecimal(string column) =>
        OptionalText(column) is not { } v ? null
        : decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d
        : Fail<decimal?>(column, "is not a number", null, RegistryProblem.Format);

    public DateOnly Date(string column) => OptionalDate(column) ?? Fail(column, "is required", default(DateOnly), RegistryProblem.Required);

    public DateOnly? OptionalDate(string column) =>
        OptionalText(column) is not { } v ? null
        : DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : Fail<DateOnly?>(column, "is not a date (yyyy-MM-dd)", null, RegistryProblem.Format);

    public bool? OptionalBool(string column) => OptionalText(column)?.ToUpperInvariant() switch
    {
        null => null,
        "YES" or "TRUE" => true,
        "NO" or "FALSE" => false,
        _ => Fail<bool?>(column, "is not yes|no", null, RegistryProblem.Format),
    };

    public T Enum<T>(string column, Spelling<T> spelling)
        where T : struct, System.Enum => OptionalEnum(column, spelling) ?? Fail(column, $"is required ({spelling.Allowed})", default(T), RegistryProblem.Required);

    public T? OptionalEnum<T>(string column, Spelling<T> spelling)
        where T : struct, System.Enum =>
        OptionalText(column) is not { } v ? null
        : spelling.TryParse(v, out var e) ? e
        : Fail<T?>(column, $"is not one of {spelling.Allowed}", null, RegistryProblem.Format);

    /// <summary>
    /// Optional fields that only make sense together: <paramref name="make"/>'s record when all <paramref name="values"/> are
    /// given, null when none is, otherwise <paramref name="message"/> as the row's error at <paramref name="column"/>.
    /// </summary>
    public T? AllOrNone<T>(string column, string message, Func<T> make, params object?[] values)
        where T : class =>
        values.All(v => v is not null) ? make()
        : values.Any(v => v is not null) ? Fail<T?>(column, message, null)
        : null;

    public T Fail<T>(string column, string message, T fallback, RegistryProblem problem = RegistryProblem.Field)
    {
        Error ??= locate(column, message) with { Problem = problem };
        return fallback;
    }
}
