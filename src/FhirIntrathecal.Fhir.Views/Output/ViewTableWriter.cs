using System.Text;
using System.Text.Json;

namespace FhirIntrathecal.Fhir.Views.Output;

/// <summary>Output formats of <c>view run</c>.</summary>
public enum ViewOutputFormat
{
    Csv,
    Ndjson,
    Parquet,
    DuckDb,
}

/// <summary>Writes the rows of one view as one table. Not thread-safe: one writer per view, fed by one thread.</summary>
public abstract class ViewTableWriter : IAsyncDisposable
{
    protected ViewTableWriter(ViewDefinition view)
    {
        View = view;
    }

    public ViewDefinition View { get; }

    public long Rows { get; private set; }

    /// <summary>
    /// A runner row converted for this format, in place (the row is returned; thread-safe: workers call it in parallel,
    /// each on rows of its own); a cell that does not fit its column throws <see cref="InvalidCastException"/> and leaves
    /// the row part converted, to be dropped.
    /// </summary>
    public object?[] Prepare(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        foreach (var column in View.Columns)
        {
            row[column.Index] = Convert(column, row[column.Index]);
        }

        return row;
    }

    /// <summary>Writes one row made by <see cref="Prepare"/>.</summary>
    public void Write(object?[] prepared)
    {
        WriteTyped(prepared);
        Rows++;
    }

    /// <summary>Flushes what is buffered and closes the table.</summary>
    public abstract ValueTask CompleteAsync(CancellationToken ct = default);

    public abstract ValueTask DisposeAsync();

    protected virtual object? Convert(ViewColumn column, object? cell) => ViewCells.Typed(column, cell);

    protected abstract void WriteTyped(object?[] row);
}

/// <summary>RFC 4180 CSV with a header line; cells in their FHIR text form, empty for null.</summary>
internal sealed class CsvTableWriter(ViewDefinition view, Stream stream) : ViewTableWriter(view)
{
    private readonly StreamWriter _out = new(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\r\n" };
    private bool _header;

    protected override object? Convert(ViewColumn column, object? cell)
    {
        ViewCells.Typed(column, cell);
        return ViewCells.Text(cell);
    }

    protected override void WriteTyped(object?[] row)
    {
        if (!_header)
        {
            _out.WriteLine(string.Join(",", View.Columns.Select(c => Quote(c.Name))));
            _header = true;
        }

        for (var i = 0; i < row.Length; i++)
        {
            if (i > 0)
            {
                _out.Write(',');
            }

            _out.Write(Quote((string?)row[i]));
        }

        _out.WriteLine();
    }

    public override async ValueTask CompleteAsync(CancellationToken ct = default)
    {
        if (!_header)
        {
            WriteTyped([]);
        }

        await _out.FlushAsync(ct).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _out.DisposeAsync();

    private static string Quote(string? text) =>
        text is null ? "" : text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}

/// <summary>One JSON object per row and line; numbers and booleans as JSON, collections as arrays.</summary>
internal sealed class NdjsonTableWriter(ViewDefinition view, Stream stream) : ViewTableWriter(view)
{
    private readonly Stream _stream = stream;
    private readonly Utf8JsonWriter _json = new(stream, new JsonWriterOptions { SkipValidation = true });

    protected override object? Convert(ViewColumn column, object? cell)
    {
        ViewCells.Typed(column, cell);
        return ViewCells.JsonValue(cell);
    }

    protected override void WriteTyped(object?[] row)
    {
        _json.WriteStartObject();
        foreach (var column in View.Columns)
        {
            _json.WritePropertyName(column.Name);
            JsonSerializer.Serialize(_json, row[column.Index]);
        }

        _json.WriteEndObject();
        _json.Flush();
        _json.Reset(); // each line is a JSON document of its own: no separator after the previous one
        _stream.WriteByte((byte)'\n');
    }

    public override async ValueTask CompleteAsync(CancellationToken ct = default)
    {
        await _json.FlushAsync(ct).ConfigureAwait(false);
        await _stream.FlushAsync(ct).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
