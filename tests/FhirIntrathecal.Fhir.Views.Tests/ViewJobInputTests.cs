using FhirIntrathecal.Fhir.Views.Output;

namespace FhirIntrathecal.Fhir.Views.Tests;

/// <summary>ViewJob reads NDJSON through the core's splitter: a BOM, CRLF, blank lines and an over-long line in the middle.</summary>
public sealed class ViewJobInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("view-input-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_over_long_line_is_reported_at_its_line_and_the_lines_after_it_still_go_through()
    {
        var input = Path.Combine(_folder, "Patient.ndjson");
        var longLine = $$"""{"resourceType": "Patient", "id": "{{new string('x', 3000)}}"}""";
        await File.WriteAllTextAsync(input, "\uFEFF" + string.Join("\r\n",
            """{"resourceType": "Patient", "id": "p1"}""", "", longLine, """{"resourceType": "Patient", "id": "p4"}""",
            "  ", """{"resourceType": "Patient", "id": "p6"}"""), TestContext.Current.CancellationToken);
        var view = ViewDefinitionReader.Read("""{"name": "pts", "resource": "Patient", "select": [{"column": [{"name": "id", "path": "id"}]}]}""").View!;

        var summary = await ViewJob.RunAsync([(view, "pts.json")], [input],
            new ViewRunOptions(ViewOutputFormat.Csv, _folder) { BlockBytes = 64, MaxLineBytes = 1000 }, TestContext.Current.CancellationToken);

        var issue = Assert.Single(summary.Issues);
        Assert.Equal((ViewCodes.Input, input, 3L), (issue.Issue.Code, issue.Input, issue.InputLine));
        Assert.Contains("3038 bytes", issue.Issue.Detail, StringComparison.Ordinal);
        Assert.Equal(["p1", "p4", "p6"], File.ReadAllLines(Path.Combine(_folder, "pts.csv")).Skip(1));
    }
}
