using Parquet;
using Parquet.Schema;

namespace FhirIntrathecal.Fhir.Views.Output;

/// <summary>
/// Parquet with one typed column per view column (BOOLEAN, INT64, DECIMAL(28,10), DATE, TIMESTAMP (UTC), TIME, UTF8
/// strings), written in row groups of at most <see cref="RowGroupSize"/> rows and about <see cref="RowGroupBytes"/>
/// bytes of buffered cells, whichever comes first: memory is bounded by one small row group per view, whatever the rows'
/// width and the input's size (a cap in rows alone let a wide view buffer tens of MB).
/// </summary>
internal sealed class ParquetTableWriter : ViewTableWriter
{
    public const int RowGroupSize = 16_384;

    /// <summary>The estimated managed size of the buffered cells at which a row group is written.</summary>
    public const long RowGroupBytes = 2 << 20;

    private readonly Stream _stream;
    private readonly DataField[] _fields;
    private readonly CellKind[] _kinds;
    private readonly List<object?[]> _buffer = [];
    private long _bufferedBytes;
    private ParquetWriter? _writer;

    public ParquetTableWriter(ViewDefinition view, Stream stream)
        : base(view)
    {
        _stream = stream;
        _kinds = view.Columns.Select(ViewCells.KindOf).ToArray();
        _fields = view.Columns.Select((c, i) => Field(c.Name, _kinds[i])).ToArray();
    }

    private static DataField Field(string name, CellKind kind) => kind switch
    {
        CellKind.Boolean => new DataField(name, typeof(bool), true),
        CellKind.Integer => new DataField(name, typeof(long), true),
        CellKind.Decimal => new DecimalDataField(name, ViewCells.DecimalPrecision, ViewCells.DecimalScale, true, true),
        CellKind.Date => new DataField(name, typeof(DateOnly), true),
        CellKind.DateTime => new DateTimeDataField(name, DateTimeFormat.Timestamp, true, null, true),
        CellKind.Time => new DataField(name, typeof(TimeOnly), true),
        _ => new DataField(name, typeof(string), true),
    };

    protected override void WriteTyped(object?[] row)
    {
        _buffer.Add(row);
        _bufferedBytes += Size(row);
        if (_buffer.Count >= RowGroupSize || _bufferedBytes >= RowGroupBytes)
        {
            FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    private async ValueTask FlushAsync(CancellationToken ct)
    {
        _writer ??= await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, cancellationToken: ct).ConfigureAwait(false);
        using var group = _writer.CreateRowGroup();
        for (var c = 0; c < _fields.Length; c++)
        {
            var field = _fields[c];
            switch (_kinds[c])
            {
                case CellKind.Boolean: await group.WriteAsync(field, Column<bool>(c), cancellationToken: ct).ConfigureAwait(false); break;
                case CellKind.Integer: await group.WriteAsync(field, Column<long>(c), cancellationToken: ct).ConfigureAwait(false); break;
                case CellKind.Decimal: await group.WriteAsync(field, Column<decimal>(c), cancellationToken: ct).ConfigureAwait(false); break;
                case CellKind.Date: await group.WriteAsync(field, Column<DateOnly>(c), cancellationToken: ct).ConfigureAwait(false); break;
                case CellKind.DateTime:
                    await group.WriteAsync<DateTime>(field, _buffer.Select(r => ((DateTimeOffset?)r[c])?.UtcDateTime).ToArray(), cancellationToken: ct).ConfigureAwait(false);
                    break;
                case CellKind.Time: await group.WriteAsync(field, Column<TimeOnly>(c), cancellationToken: ct).ConfigureAwait(false); break;
                default: await group.WriteAsync(field, _buffer.Select(r => (string)r[c]!).ToArray()).ConfigureAwait(false); break;
            }
        }

        group.CompleteValidate();
        _buffer.Clear();
        _bufferedBytes = 0;
    }

    /// <summary>About what a row holds on the heap: its array, boxed values and strings.</summary>
    private static long Size(object?[] row)
    {
        long bytes = 24 + (8 * row.Length);
        foreach (var cell in row)
        {
            bytes += cell switch
            {
                null => 0,
                string s => 22 + (2 * s.Length),
                _ => 24,
            };
        }

        return bytes;
    }

    private ReadOnlyMemory<T?> Column<T>(int c)
        where T : struct => _buffer.Select(r => (T?)r[c]).ToArray();

    public override async ValueTask CompleteAsync(CancellationToken ct = default)
    {
        if (_buffer.Count > 0 || _writer is null)
        {
            await FlushAsync(ct).ConfigureAwait(false);
        }

        await _writer!.DisposeAsync().ConfigureAwait(false);
        await _stream.FlushAsync(ct).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _stream.DisposeAsync();
}
