using DuckDB.NET.Data;

namespace FhirIntrathecal.Fhir.Views.Output;

/// <summary>
/// One table of an embedded DuckDB database, named after the view, with typed columns (BOOLEAN, BIGINT,
/// DECIMAL(28,10), DATE, TIMESTAMPTZ, TIME, VARCHAR), filled through DuckDB's appender. The connection is the caller's.
/// </summary>
internal sealed class DuckDbTableWriter : ViewTableWriter
{
    private readonly DuckDBAppender _appender;
    private readonly CellKind[] _kinds;

    public DuckDbTableWriter(ViewDefinition view, DuckDBConnection connection)
        : base(view)
    {
        _kinds = view.Columns.Select(ViewCells.KindOf).ToArray();
        var columns = view.Columns.Select((c, i) => $"\"{c.Name}\" {SqlType(_kinds[i])}");
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"DROP TABLE IF EXISTS \"{view.Name}\"; CREATE TABLE \"{view.Name}\" ({string.Join(", ", columns)})";
            create.ExecuteNonQuery();
        }

        _appender = connection.CreateAppender(view.Name);
    }

    private static string SqlType(CellKind kind) => kind switch
    {
        CellKind.Boolean => "BOOLEAN",
        CellKind.Integer => "BIGINT",
        CellKind.Decimal => $"DECIMAL({ViewCells.DecimalPrecision},{ViewCells.DecimalScale})",
        CellKind.Date => "DATE",
        CellKind.DateTime => "TIMESTAMPTZ",
        CellKind.Time => "TIME",
        _ => "VARCHAR",
    };

    protected override void WriteTyped(object?[] row)
    {
        var r = _appender.CreateRow();
        for (var c = 0; c < row.Length; c++)
        {
            _ = row[c] switch
            {
                null => r.AppendNullValue(),
                bool b => r.AppendValue(b),
                long l => r.AppendValue(l),
                decimal d => r.AppendValue(d),
                DateOnly d => r.AppendValue(d),
                DateTimeOffset t => r.AppendValue(t),
                TimeOnly t => r.AppendValue(t),
                var other => r.AppendValue((string)other),
            };
        }

        r.EndRow();
    }

    public override ValueTask CompleteAsync(CancellationToken ct = default)
    {
        _appender.Close();
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _appender.Dispose();
        return ValueTask.CompletedTask;
    }
}
