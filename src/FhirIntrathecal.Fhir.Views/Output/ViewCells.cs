using System.Globalization;
using System.Text.Json;
using FhirIntrathecal.Fhir.FhirPath;

namespace FhirIntrathecal.Fhir.Views.Output;

/// <summary>The storage kind of a column, from the view's <c>type</c>; collections and untyped columns are text.</summary>
public enum CellKind
{
    Text,
    Boolean,
    Integer,
    Decimal,
    Date,
    DateTime,
    Time,
}

/// <summary>
/// Cells as typed values for the writers. Decimals stay exact (<see cref="DecimalScale"/> fractional digits at most, else an
/// error rather than rounding); dates become dates, date-times with an offset timestamps, times times. A value that does
/// not fit its column is an error naming the column, never a silent change.
/// </summary>
public static class ViewCells
{
    /// <summary>DECIMAL(<see cref="DecimalPrecision"/>, <see cref="DecimalScale"/>) in Parquet and DuckDB.</summary>
    public const int DecimalPrecision = 28;

    public const int DecimalScale = 10;

    public static CellKind KindOf(ViewColumn column) => column.Collection ? CellKind.Text : column.Type switch
    {
        "boolean" => CellKind.Boolean,
        "integer" or "positiveInt" or "unsignedInt" or "integer64" => CellKind.Integer,
        "decimal" => CellKind.Decimal,
        "date" => CellKind.Date,
        "dateTime" or "instant" => CellKind.DateTime,
        "time" => CellKind.Time,
        _ => CellKind.Text,
    };

    /// <summary>null, bool, long, decimal, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, <see cref="TimeOnly"/> or string.</summary>
    /// <exception cref="InvalidCastException">The cell does not fit the column's type exactly.</exception>
    public static object? Typed(ViewColumn column, object? cell)
    {
        if (cell is null)
        {
            return null;
        }

        return KindOf(column) switch
        {
            // A cell that is already its column's value is returned as it is (not boxed again).
            CellKind.Boolean when cell is bool => cell,
            CellKind.Integer when cell is long => cell,
            CellKind.Decimal when cell is decimal d && d.Scale <= DecimalScale => cell,
            CellKind.Decimal when cell is long l => (decimal)l,
            CellKind.Date when cell is FhirPathTemporal { Precision: TemporalPrecision.Day } t and (FhirPathDate or FhirPathDateTime) =>
                new DateOnly(t.Year, t.Month, t.Day),
            CellKind.DateTime when cell is FhirPathDateTime { Precision: >= TemporalPrecision.Minute, Offset: { } offset } t =>
                new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond, offset),
            CellKind.Time when cell is FhirPathTime { Precision: >= TemporalPrecision.Minute } t => new TimeOnly(t.Hour, t.Minute, t.Second, t.Millisecond),
            CellKind.Text => Text(cell),
            var kind => throw new InvalidCastException($"column '{column.Name}' ({column.Type}): '{Text(cell)}' is not an exact {kind.ToString().ToLowerInvariant()}"),
        };
    }

    /// <summary>The text of a cell: FHIRPath string form (decimals keep their digits), a collection as a JSON array.</summary>
    public static string? Text(object? cell) => cell switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IReadOnlyList<object?> list => JsonSerializer.Serialize(list.Select(JsonValue)),
        _ => FhirPathEvaluator.ToFhirPathString(cell) ?? Convert.ToString(cell, CultureInfo.InvariantCulture),
    };

    /// <summary>A cell as a JSON value: numbers and booleans as such, collections as arrays, the rest as text.</summary>
    public static object? JsonValue(object? cell) => cell switch
    {
        null or bool or long or decimal => cell,
        IReadOnlyList<object?> list => list.Select(JsonValue).ToList(),
        _ => Text(cell),
    };
}
