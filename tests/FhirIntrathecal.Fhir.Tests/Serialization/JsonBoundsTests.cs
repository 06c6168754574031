using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>Hostile JSON costs bounded work: a capped number of issues, line/column without rescans, cancellation honoured.</summary>
public class JsonBoundsTests
{
    /// <summary>{"resourceType":"Patient", then <paramref name="count"/> unknown keys, one per line, then a known element.</summary>
    private static byte[] UnknownKeys(int count)
    {
        var sb = new StringBuilder("{\"resourceType\":\"Patient\",\"active\":true");
        for (var i = 0; i < count; i++)
        {
            sb.Append(",\n\"k").Append(i).Append("\":1");
        }

        return Encoding.UTF8.GetBytes(sb.Append(",\n\"gender\":\"female\"}").ToString());
    }

    [Fact]
    public void Half_a_million_unknown_keys_stop_at_the_issue_cap_with_one_fatal_too_many_issues()
    {
        var input = UnknownKeys(500_000);
        var result = FhirJsonParser.Parse(input);

        var max = ParserOptions.Strict.MaxIssues;
        Assert.InRange(max, 100, 999);
        Assert.Equal(max + 1, result.Issues.Count);
        Assert.All(result.Issues.Take(max), i => Assert.Equal(ParseCodes.UnknownElement, i.Code));
        var last = result.Issues[^1];
        Assert.Equal(IssueSeverity.Fatal, last.Severity);
        Assert.Equal(ParseCodes.TooManyIssues, last.Code);
        Assert.Equal($"Patient.k{max}", last.Location);
        Assert.Equal(max + 2, last.Line);
        Assert.False(result.Success);
        // What was read before the cap is kept.
        Assert.Equal(true, Assert.IsType<Patient>(result.Value).Active?.Value);
    }

    [Fact]
    public void The_cap_is_configurable_and_counts_warnings_too()
    {
        var options = ParserOptions.Lenient with { MaxIssues = 10 };
        var result = FhirJsonParser.Parse(UnknownKeys(1_000), options);
        Assert.Equal(11, result.Issues.Count);
        Assert.Equal(10, result.Issues.Count(i => i is { Severity: IssueSeverity.Warning, Code: ParseCodes.UnknownElement }));
        Assert.Equal(ParseCodes.TooManyIssues, result.Issues[^1].Code);

        // Under the cap nothing is cut: every issue is reported and the element after them is read.
        var under = FhirJsonParser.Parse(UnknownKeys(9), options);
        Assert.Equal(9, under.Issues.Count);
        Assert.Equal("female", ((Patient)under.Value!).Gender?.Value);
    }

    [Fact]
    public void Line_and_column_of_every_issue_come_from_one_line_index()
    {
        var result = FhirJsonParser.Parse(UnknownKeys(200));
        for (var i = 0; i < 200; i++)
        {
            var issue = result.Issues[i];
            Assert.Equal($"Patient.k{i}", issue.Location);
            Assert.Equal(i + 2, issue.Line);
            Assert.Equal($"\"k{i}\":".Length + 1, issue.Column);  // the value after "kN":
        }
    }

    [Fact]
    public void A_cancelled_token_stops_parsing_with_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => FhirJsonParser.Parse(UnknownKeys(10), (ParserOptions?)null, null, cts.Token));
    }

    [Fact]
    public async Task Cancelling_while_a_large_resource_is_parsed_stops_it_before_the_end()
    {
        // ~40 MB: two million names; far more than a parse finishes in 100 ms on any machine this runs on.
        var sb = new StringBuilder("{\"resourceType\":\"Patient\",\"name\":[");
        for (var i = 0; i < 2_000_000; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"family\":\"Doe\"}");
        }

        var input = Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        using var cts = new CancellationTokenSource();
        var reached = 0;
        var parse = Task.Run(() =>
        {
            Volatile.Write(ref reached, 1);
            return FhirJsonParser.Parse(input, (ParserOptions?)null, null, cts.Token);
        });
        while (Volatile.Read(ref reached) == 0)
        {
            await Task.Yield();
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parse);
    }

    [Fact]
    public async Task Ndjson_reading_honours_cancellation_between_and_inside_lines()
    {
        var lines = string.Join("\n", Enumerable.Repeat("{\"resourceType\":\"Patient\",\"active\":true}", 100));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(lines));
        using var cts = new CancellationTokenSource();
        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var record in Ndjson.ReadAsync(stream, ct: cts.Token))
            {
                Assert.True(record.Result.Success);
                if (++read == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(3, read);
    }
}
