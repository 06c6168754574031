using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Views.Output;

namespace FhirIntrathecal.Fhir.Views.Tests;

public sealed class ViewOutputTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "view-output-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static ViewColumn Column(string type) => ViewDefinitionReader.Read($$"""
        {"resource": "Observation", "select": [{"column": [{"name": "c", "path": "id", "type": "{{type}}"}]}]}
        """).View!.Columns[0];

    [Fact]
    public void Cells_keep_their_exact_values_or_fail_loudly()
    {
        Assert.Equal(1.50m, ViewCells.Typed(Column("decimal"), 1.50m));
        Assert.Throws<InvalidCastException>(() => ViewCells.Typed(Column("decimal"), 0.12345678901m));
        Assert.True(FhirPathDateTime.TryParse("2004-06-08", out var day));
        Assert.Equal(new DateOnly(2004, 6, 8), ViewCells.Typed(Column("date"), day));
        Assert.True(FhirPathDate.TryParse("1931", out var year));
        Assert.Throws<InvalidCastException>(() => ViewCells.Typed(Column("date"), year));
        Assert.Throws<InvalidCastException>(() => ViewCells.Typed(Column("dateTime"), day));
        Assert.Throws<InvalidCastException>(() => ViewCells.Typed(Column("integer"), "7"));
        Assert.Equal("1.50", ViewCells.Text(1.50m));
    }

    [Fact]
    public async Task NDJSON_rows_keep_numbers_booleans_and_collections_as_JSON_and_skip_other_resource_types()
    {
        Directory.CreateDirectory(_folder);
        var input = Path.Combine(_folder, "in.ndjson");
        await File.WriteAllLinesAsync(input, [
            """{"resourceType": "Patient", "id": "a", "active": true, "name": [{"given": ["Ann", "Bo"]}], "multipleBirthInteger": 2}""",
            """{"resourceType": "Observation", "id": "o", "status": "final", "code": {"text": "x"}}""",
            """{"resourceType": "Patient", "id": "b"}""",
        ], TestContext.Current.CancellationToken);
        var view = ViewDefinitionReader.Read("""
            {"name": "p", "resource": "Patient", "select": [{"column": [
              {"name": "id", "path": "id"}, {"name": "active", "path": "active", "type": "boolean"},
              {"name": "given", "path": "name.given", "collection": true}, {"name": "birth", "path": "multipleBirth.ofType(integer)", "type": "integer"}]}]}
            """).View!;

        var summary = await ViewJob.RunAsync([(view, "p.json")], [input], new ViewRunOptions(ViewOutputFormat.Ndjson, _folder), TestContext.Current.CancellationToken);

        Assert.Equal(0, summary.IssueCount);
        Assert.Equal(3, summary.Resources);
        Assert.Equal(
            ["""{"id":"a","active":true,"given":["Ann","Bo"],"birth":2}""", """{"id":"b","active":null,"given":[],"birth":null}"""],
            File.ReadAllLines(Path.Combine(_folder, "p.ndjson")));
    }

    [Fact]
    public async Task A_bad_line_is_reported_with_its_file_and_line_and_the_lines_around_it_go_through_in_order()
    {
        Directory.CreateDirectory(_folder);
        var input = Path.Combine(_folder, "Patient.ndjson");
        var lines = Enumerable.Range(0, 3000).Select(i => i == 1500
            ? """{"resourceType": "Patient", "id": "bad", "gender": 7}"""
            : $$"""{"resourceType": "Patient", "id": "p{{i}}", "gender": "female"}""");
        await File.WriteAllLinesAsync(input, lines, TestContext.Current.CancellationToken);
        var view = ViewDefinitionReader.Read("""{"name": "pts", "resource": "Patient", "select": [{"column": [{"name": "id", "path": "id"}]}]}""").View!;

        var summary = await ViewJob.RunAsync([(view, "pts.json")], [input], new ViewRunOptions(ViewOutputFormat.Csv, _folder) { BlockBytes = 4096 }, TestContext.Current.CancellationToken);

        var issue = Assert.Single(summary.Issues);
        Assert.Equal((ViewCodes.Input, input, 1501L), (issue.Issue.Code, issue.Input, issue.InputLine));
        Assert.Equal(3000, summary.Resources);
        var ids = File.ReadAllLines(Path.Combine(_folder, "pts.csv")).Skip(1).ToList();
        Assert.Equal(Enumerable.Range(0, 3000).Where(i => i != 1500).Select(i => $"p{i}"), ids);
    }

    [Fact]
    public async Task An_element_no_column_reads_is_still_checked_and_a_line_that_is_not_JSON_is_reported()
    {
        Directory.CreateDirectory(_folder);
        var input = Path.Combine(_folder, "Patient.ndjson");
        string[] lines =
        [
            """{"resourceType": "Patient", "id": "p0", "gender": 7}""",
            """{"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1970-01-02"}""",
            """{"resourceType": "Patient", "id": "p2", "gender": "female", "birthDate": 1970}""",
            """{"resourceType": "Patient", "id": "p3", "gender": """,
            """{"resourceType": "Patient", "id": "p4", "name": [{"family": "Doe", "nickname": "J"}], "birthDate": "1980-03-04"}""",
        ];
        await File.WriteAllLinesAsync(input, lines, TestContext.Current.CancellationToken);
        var view = ViewDefinitionReader.Read("""{"name": "pts", "resource": "Patient", "select": [{"column": [{"name": "id", "path": "id"}, {"name": "born", "path": "birthDate", "type": "date"}]}]}""").View!;

        var summary = await ViewJob.RunAsync([(view, "pts.json")], [input], new ViewRunOptions(ViewOutputFormat.Csv, _folder), TestContext.Current.CancellationToken);

        // No column reads gender or name, yet p0's bad gender and p4's unknown name.nickname are reported as the full
        // parse reports them (code and element path); p2's bad birthDate (read) and p3 (not JSON) too. Only p1 is a row.
        Assert.Equal([1L, 3L, 4L, 5L], summary.Issues.Select(i => i.InputLine));
        Assert.StartsWith("PARSE_WRONG_TYPE at Patient.gender:", summary.Issues[0].Issue.Detail, StringComparison.Ordinal);
        Assert.StartsWith("PARSE_UNKNOWN_ELEMENT at Patient.name[0].nickname:", summary.Issues[3].Issue.Detail, StringComparison.Ordinal);
        Assert.Equal(["p1,1970-01-02"], File.ReadAllLines(Path.Combine(_folder, "pts.csv")).Skip(1));
    }
}
