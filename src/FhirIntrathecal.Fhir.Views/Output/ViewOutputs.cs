using DuckDB.NET.Data;

namespace FhirIntrathecal.Fhir.Views.Output;

/// <summary>
/// The tables of one run: a file per view in the output folder (<c>NAME.csv</c>, <c>NAME.ndjson</c>, <c>NAME.parquet</c>)
/// or one DuckDB database (<see cref="DuckDbFile"/>) with a table per view. View names are checked identifiers, so
/// no file name derived from a view leaves the folder.
/// </summary>
public sealed class ViewOutputs : IAsyncDisposable
{
    public const string DuckDbFile = "views.duckdb";

    /// <summary>The cap on DuckDB's buffer pool while the tables are written.</summary>
    public const int DuckDbMemoryLimitMb = 256;

    private readonly DuckDBConnection? _connection;

    private ViewOutputs(IReadOnlyList<ViewTableWriter> writers, IReadOnlyList<string> files, DuckDBConnection? connection)
    {
        Writers = writers;
        Files = files;
        _connection = connection;
    }

    public IReadOnlyList<ViewTableWriter> Writers { get; }

    public IReadOnlyList<string> Files { get; }

    public static ViewOutputs Create(IReadOnlyList<ViewDefinition> views, ViewOutputFormat format, string folder)
    {
        ArgumentNullException.ThrowIfNull(views);
        Directory.CreateDirectory(folder);
        if (format == ViewOutputFormat.DuckDb)
        {
            var path = Path.Combine(folder, DuckDbFile);
            File.Delete(path);
            var connection = new DuckDBConnection($"Data Source={path}");
            connection.Open();
            using (var limit = connection.CreateCommand())
            {
                // DuckDB's buffer pool would otherwise grow with the tables up to 80 % of the machine's memory; past
                // this it writes blocks out to the database file, so memory stays bounded whatever the input's size.
                limit.CommandText = $"SET memory_limit = '{DuckDbMemoryLimitMb}MB'";
                limit.ExecuteNonQuery();
            }

            return new ViewOutputs(views.Select(v => (ViewTableWriter)new DuckDbTableWriter(v, connection)).ToList(), [path], connection);
        }

        var extension = format switch
        {
            ViewOutputFormat.Csv => ".csv",
            ViewOutputFormat.Ndjson => ".ndjson",
            _ => ".parquet",
        };
        var files = views.Select(v => Path.Combine(folder, v.Name + extension)).ToList();
        var writers = views.Select((v, i) =>
        {
            var stream = new FileStream(files[i], FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            return format switch
            {
                ViewOutputFormat.Csv => (ViewTableWriter)new CsvTableWriter(v, stream),
                ViewOutputFormat.Ndjson => new NdjsonTableWriter(v, stream),
                _ => new ParquetTableWriter(v, stream),
            };
        }).ToList();
        return new ViewOutputs(writers, files, null);
    }

    public async ValueTask CompleteAsync(CancellationToken ct = default)
    {
        foreach (var w in Writers)
        {
            await w.CompleteAsync(ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var w in Writers)
        {
            await w.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
