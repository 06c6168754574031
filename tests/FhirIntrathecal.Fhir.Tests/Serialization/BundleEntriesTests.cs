using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>A Bundle read entry by entry gives exactly what the whole-Bundle parse gives: the same model, the same located issues.</summary>
public class BundleEntriesTests(ITestOutputHelper output)
{
    /// <summary>Pretty-printed over many lines, with issues in the Bundle itself and inside two entries' resources.</summary>
    private const string Flawed = """
        {
          "resourceType": "Bundle",
          "id": "b1",
          "type": "collection",
          "entry": [
            {
              "fullUrl": "urn:uuid:1",
              "resource": { "resourceType": "Patient", "id": "p1", "gender": "female" }
            },
            {
              "fullUrl": "urn:uuid:2",
              "colour": "red",
              "resource": {
                "resourceType": "Patient",
                "id": "p2",
                "favourite": 1,
                "birthDate": "1970-13-45"
              }
            },
            { "request": { "method": "DELETE", "url": "Patient/p9" } },
            {
              "resource": { "resourceType": "Observation", "id": "o1", "status": 7, "code": { "text": "x" } }
            },
            { "resource": { "resourceType": "NotAType" } }
          ],
          "total": "many"
        }
        """;

    private static List<BundleEntryRecord> ReadEntries(string json) => BundleEntries.Read(Encoding.UTF8.GetBytes(json)).ToList();

    /// <summary>The whole parse with its entries' resources taken out, and those resources by entry index.</summary>
    private static (Bundle? Bundle, Dictionary<int, Resource> Resources) Split(Resource? whole)
    {
        var resources = new Dictionary<int, Resource>();
        if (whole is Bundle bundle)
        {
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                if (bundle.Entry[i].Resource is { } r)
                {
                    resources[i] = r;
                    bundle.Entry[i].Resource = null;
                }
            }
        }

        return (whole as Bundle, resources);
    }

    [Fact]
    public void Issues_in_the_Bundle_and_in_its_entries_are_located_as_in_the_whole_parse()
    {
        var whole = FhirJsonParser.Parse(Flawed);
        var records = ReadEntries(Flawed);

        Assert.Null(records[0].Entry);
        Assert.Equal([null, 0, 1, 3, 4], records.Select(r => r.Entry));
        var (bundle, resources) = Split(whole.Value);
        Assert.True(records[0].Result.Value!.IsExactly(bundle));
        foreach (var r in records.Skip(1).Where(r => r.Result.Value is not null))
        {
            Assert.True(r.Result.Value!.IsExactly(resources[r.Entry!.Value]), $"entry {r.Entry}");
        }

        Assert.False(records[4].Result.Success);  // NotAType: no resource, as in the whole parse
        Assert.False(resources.ContainsKey(4));
        var expected = whole.Issues.Order(IssueOrder.Instance).ToList();
        var actual = records.SelectMany(r => r.Result.Issues).Order(IssueOrder.Instance).ToList();
        Assert.True(expected.Count >= 5, string.Join("\n", expected));
        Assert.Equal(expected, actual);
        Assert.Contains(actual, i => i.Location == "Bundle.entry[1].resource.Patient.favourite" && i.Line == 16);
    }

    [Theory]
    [InlineData("""{"resourceType": "Patient", "id": "p1", "bogus": 1}""")]
    [InlineData("""{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}""")]
    [InlineData("""{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", "id": "a"}, "resource": {"resourceType": "Patient", "id": "b"}}]}""")]
    [InlineData("[]")]
    public void What_is_not_a_well_formed_Bundle_is_parsed_whole(string json)
    {
        var whole = FhirJsonParser.Parse(json);

        var record = Assert.Single(ReadEntries(json));

        Assert.Null(record.Entry);
        Assert.Equal(whole.Issues, record.Result.Issues);
        Assert.True(whole.Value is null ? record.Result.Value is null : whole.Value.IsExactly(record.Result.Value));
    }

    [Fact]
    public async Task Every_example_Bundle_read_entry_by_entry_is_exactly_the_whole_parse()
    {
        var ct = TestContext.Current.CancellationToken;
        var files = FhirPackages.ExampleFiles().Where(f => Path.GetFileName(f).StartsWith("Bundle-", StringComparison.Ordinal)).ToList();
        long entries = 0, bytes = 0;
        foreach (var file in files)
        {
            var whole = FhirJsonParser.Parse(await File.ReadAllBytesAsync(file, ct));
            var (bundle, resources) = Split(whole.Value);
            var seen = 0;
            await using var stream = File.OpenRead(file);
            await foreach (var record in BundleEntries.ReadAsync(stream, ct: ct))
            {
                if (record.Entry is not { } i)
                {
                    Assert.True(record.Result.Value!.IsExactly(bundle), file);
                    Assert.Equal(whole.Issues, record.Result.Issues);
                    continue;
                }

                Assert.True(record.Result.Success, $"{file} entry {i}");
                Assert.True(record.Result.Value!.IsExactly(resources[i]), $"{file} entry {i}");
                seen++;
            }

            Assert.Equal(resources.Count, seen);
            entries += seen;
            bytes += stream.Length;
        }

        output.WriteLine($"Bundle entries: {files.Count} example Bundles ({bytes / 1e6:F0} MB), {entries} entry resources read one by one, each exactly as in the whole parse");
        Assert.True(files.Count >= 40 && entries > 10000, $"{files.Count} Bundles, {entries} entries");
    }

    [Fact]
    public async Task A_Bundle_stream_over_the_byte_bound_is_a_located_too_large_error()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Flawed));

        var record = Assert.Single(await BundleEntries.ReadAsync(stream, maxBytes: 100, ct: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ParseCodes.TooLarge, Assert.Single(record.Result.Issues).Code);
    }

    [Fact]
    public async Task Ndjson_read_entry_by_entry_on_four_workers_gives_each_lines_Bundle_and_entries_in_order_as_the_whole_parse()
    {
        var ct = TestContext.Current.CancellationToken;
        string Big(string id, int n) => $$"""{"resourceType":"Bundle","id":"{{id}}","type":"collection","entry":[""" + string.Join(",", Enumerable.Range(0, n).Select(i =>
            i == 77 ? """{"resource":{"resourceType":"Patient","id":"bad","gender":"femme","x":1}}""" : $$$"""{"fullUrl":"urn:uuid:{{{i}}}","resource":{"resourceType":"Patient","id":"p{{{i}}}","active":true}}""")) + "]}";
        string[] lines =
        [
            """{"resourceType":"Patient","id":"first"}""",
            Flawed.ReplaceLineEndings(" "),
            Big("big1", 300),
            "",
            """{"resourceType":"Patient","id":"broken",""",
            Big("big2", 150),
            """{"resourceType":"Observation","id":"last","status":"final","code":{"text":"x"}}""",
        ];
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", lines)));
        var options = new NdjsonReadOptions { Parallelism = 4, BlockBytes = 2048, BundleEntries = true };

        var records = await Ndjson.ReadAsync(stream, options, ct).ToListAsync(ct);

        var expected = new List<(long Line, int? Entry)>();
        foreach (var (text, number) in lines.Select((t, i) => (t, i + 1L)).Where(l => l.t.Length > 0))
        {
            var whole = FhirJsonParser.Parse(text);
            var (bundle, resources) = Split(whole.Value);
            var mine = records.Where(r => r.LineNumber == number).ToList();
            Assert.Equal(whole.Issues.Select(i => i with { Line = number }).Order(IssueOrder.Instance), mine.SelectMany(r => r.Result.Issues).Order(IssueOrder.Instance));
            Assert.True(whole.Value is null ? mine[0].Result.Value is null : mine[0].Result.Value!.IsExactly(bundle ?? whole.Value), $"line {number}");
            foreach (var r in mine.Skip(1))
            {
                // An entry whose resource cannot be read (NotAType) is a record with its issue, as the whole parse has none.
                Assert.True(r.Result.Value is null ? !r.Result.Success && !resources.ContainsKey(r.Entry!.Value) : r.Result.Value.IsExactly(resources[r.Entry!.Value]), $"line {number} entry {r.Entry}");
            }

            expected.Add((number, null));
            expected.AddRange(resources.Keys.Concat(number == 2 ? [4] : []).Order().Select(k => (number, (int?)k)));
        }

        Assert.Equal(expected, records.Select(r => (r.LineNumber, r.Entry)));
        Assert.Equal(1 + 5 + 301 + 1 + 151 + 1, records.Count);
    }

    private sealed class IssueOrder : IComparer<ParseIssue>
    {
        public static IssueOrder Instance { get; } = new();

        public int Compare(ParseIssue? x, ParseIssue? y) => (x!.Line, x.Column, x.Code, x.Location).CompareTo((y!.Line, y.Column, y.Code, y.Location));
    }
}
