using System.Globalization;
using DuckDB.NET.Data;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Cli.Tests;

/// <summary>
/// <c>view run</c> of the study views (profiles/views) over the seed-0 cohort, converted through the Mapping API into
/// NDJSON (the resources <c>pull</c> gives back are the same), read back from CSV, Parquet and DuckDB.
/// </summary>
public sealed class ViewCommandTests : IDisposable
{
    private static readonly string[] Views = ["administrations", "adverse_events", "diagnoses", "pain_scores", "patients", "relief", "sedation"];

    private static readonly (decimal Dose, long Count)[] PublishedDoses = [(2m, 211), (3m, 184), (4m, 154), (5m, 199)];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "views-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string ConvertSeed0()
    {
        var registry = RegistryInput.Read(Path.Combine(CliRunner.RepoRoot, "examples", "cohort-seed0"));
        Assert.Empty(registry.Errors);
        var options = new ExportOptions("examples/cohort-seed0", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) { References = ReferenceStyle.Relative };
        FhirFiles.WriteNdjson(DomainToFhir.AllResources(registry.Registry, options).Select(p => p.Resource), _folder);
        return Path.Combine(_folder, FhirFiles.NdjsonFolder);
    }

    private async Task<string> RunViews(string input, string format)
    {
        var output = Path.Combine(_folder, format);
        var result = await CliRunner.RunAsync("view", "run", Path.Combine(CliRunner.RepoRoot, "profiles", "views"), "--input", input, "--out", output, "--format", format);
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Contains("8451 resources read", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("administrations\t748", result.StdOut, StringComparison.Ordinal);
        return output;
    }

    [Fact]
    public async Task Study_views_over_the_seed_0_cohort_give_the_published_doses_in_CSV_Parquet_and_DuckDB()
    {
        var input = ConvertSeed0();

        var csv = await RunViews(input, "csv");
        var lines = File.ReadAllLines(Path.Combine(csv, "administrations.csv"));
        var header = lines[0].Split(',');
        var doseColumn = Array.IndexOf(header, "dose");
        var csvDoses = lines.Skip(1).GroupBy(l => decimal.Parse(l.Split(',')[doseColumn], CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())).ToArray();
        Assert.Equal(PublishedDoses, csvDoses);
        Assert.All(Views, v => Assert.True(File.Exists(Path.Combine(csv, v + ".csv")), v));

        var parquet = await RunViews(input, "parquet");
        using (var memory = new DuckDBConnection("Data Source=:memory:"))
        {
            memory.Open();
            var file = Path.Combine(parquet, "administrations.parquet").Replace("'", "''", StringComparison.Ordinal);
            Assert.Equal(PublishedDoses, Doses(memory, $"read_parquet('{file}')"));
            Assert.Equal("DECIMAL(28,10)", ColumnType(memory, $"read_parquet('{file}')", "dose"));
            Assert.Equal("DATE", ColumnType(memory, $"read_parquet('{file}')", "date"));
        }

        var duck = await RunViews(input, "duckdb");
        using var db = new DuckDBConnection($"Data Source={Path.Combine(duck, "views.duckdb")};ACCESS_MODE=READ_ONLY");
        db.Open();
        Assert.Equal(PublishedDoses, Doses(db, "administrations"));
        Assert.Equal("DECIMAL(28,10)", ColumnType(db, "administrations", "dose"));
        Assert.Equal("DATE", ColumnType(db, "administrations", "date"));
        Assert.Equal(321L, Scalar(db, "SELECT count(*) FROM adverse_events WHERE administration_key IS NOT NULL"));
        Assert.Equal(0L, Scalar(db, "SELECT count(*) FROM administrations a LEFT JOIN patients p USING (patient_key) WHERE p.registry_id IS NULL"));
        Console.WriteLine("view run seed-0 DuckDB doses 2/3/4/5 mg: " + string.Join(" / ", Doses(db, "administrations").Select(d => d.Count)));
    }

    [Fact]
    public async Task Baseline_and_follow_up_NRS_share_a_LOINC_code_and_are_told_apart_exactly_as_the_registry_has_them()
    {
        var input = ConvertSeed0();
        var duck = await RunViews(input, "duckdb");
        var registry = RegistryInput.Read(Path.Combine(CliRunner.RepoRoot, "examples", "cohort-seed0")).Registry;
        using var db = new DuckDBConnection($"Data Source={Path.Combine(duck, "views.duckdb")};ACCESS_MODE=READ_ONLY");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = StudyTableSql;
        var rows = new Dictionary<string, (long? Sedation, long? Baseline, long? FollowUp, decimal? Weeks)>(StringComparer.Ordinal);
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                rows[reader.GetString(0)] = (Get<long>(reader, 1), Get<long>(reader, 2), Get<long>(reader, 3), Get<decimal>(reader, 4));
            }
        }

        Assert.Equal(registry.Administrations.Count, rows.Count);
        foreach (var a in registry.Administrations)
        {
            var row = rows[a.Id];
            Assert.Equal(a.Sedation?.Score, (int?)row.Sedation);
            Assert.Equal(a.Pain?.NrsBaseline, (int?)row.Baseline);
            Assert.Equal(a.Pain?.FollowUp?.Nrs, (int?)row.FollowUp);
            Assert.Equal(a.Outcome.KnownWeeks, (int?)row.Weeks);
        }

        Assert.Contains(rows.Values, r => r.Baseline != r.FollowUp && r.FollowUp is not null);
    }

    [Fact]
    public async Task An_invalid_view_is_refused_with_its_file_line_column_and_code()
    {
        Directory.CreateDirectory(_folder);
        var view = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(view, "{\n  \"resource\": \"Patient\",\n  \"select\": [\n    { \"column\": [ { \"name\": \"id\", \"path\": \"id.(\" } ] }\n  ]\n}\n");
        var result = await CliRunner.RunAsync("view", "run", view, "--input", _folder, "--out", Path.Combine(_folder, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{view}:4:43: VIEW_FHIRPATH at select[0].column[0].path", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    /// <summary>The README's study table: baseline NRS = the score dated on the administration's day, follow-up = the later one.</summary>
    internal const string StudyTableSql = """
        SELECT a.registry_id, s.sedation_score, b.nrs AS nrs_baseline, f.nrs AS nrs_followup, r.relief_weeks
        FROM administrations a
        LEFT JOIN sedation s ON s.administration_key = a.administration_key
        LEFT JOIN pain_scores b ON b.administration_key = a.administration_key AND b.date = a.date
        LEFT JOIN pain_scores f ON f.administration_key = a.administration_key AND f.date > a.date
        LEFT JOIN relief r ON r.administration_key = a.administration_key
        """;

    private static T? Get<T>(System.Data.Common.DbDataReader reader, int i)
        where T : struct => reader.IsDBNull(i) ? null : (T)Convert.ChangeType(reader.GetValue(i), typeof(T), CultureInfo.InvariantCulture);

    private static (decimal Dose, long Count)[] Doses(DuckDBConnection db, string table)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT dose, count(*) FROM {table} GROUP BY dose ORDER BY dose";
        using var reader = cmd.ExecuteReader();
        var result = new List<(decimal, long)>();
        while (reader.Read())
        {
            result.Add((reader.GetDecimal(0), reader.GetInt64(1)));
        }

        return [.. result];
    }

    private static string ColumnType(DuckDBConnection db, string table, string column)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT column_type FROM (DESCRIBE SELECT * FROM {table}) WHERE column_name = '{column}'";
        return (string)cmd.ExecuteScalar()!;
    }

    private static long Scalar(DuckDBConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
