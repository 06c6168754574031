using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Views.Tests;

/// <summary>One test of the SQL on FHIR v2 suite and its outcome.</summary>
internal sealed record SuiteCase(string File, string Title, bool Passed, string? Error);

/// <summary>
/// Runs the official SQL on FHIR v2 test files (TestData/sql-on-fhir-v2, see its README): each view over the file's
/// fixture resources, rows compared with <c>expect</c> order-insensitively (cells by JSON value, numbers by decimal value),
/// <c>expectCount</c> by count, <c>expectError</c> passing only when the view is refused or its run raises a view issue.
/// </summary>
internal static class SuiteRunner
{
    public static List<SuiteCase> RunAll(string folder)
    {
        var results = new List<SuiteCase>();
        foreach (var file in Directory.GetFiles(Path.Combine(folder, "tests"), "*.json").OrderBy(f => f, StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var resources = doc.RootElement.GetProperty("resources").EnumerateArray()
                .Select(r => FhirJsonParser.Parse(r.GetRawText(), ParserOptions.Lenient).Value).OfType<Resource>().ToList();
            foreach (var test in doc.RootElement.GetProperty("tests").EnumerateArray())
            {
                var title = test.GetProperty("title").GetString()!;
                string? error;
                try
                {
                    error = Run(test, resources);
                }
#pragma warning disable CA1031 // a runner bug in one test must be reported as that test's failure, not stop the suite
                catch (Exception e)
#pragma warning restore CA1031
                {
                    error = $"unexpected {e.GetType().Name}: {e.Message}";
                }

                results.Add(new SuiteCase(Path.GetFileName(file), title, error is null, error));
            }
        }

        return results;
    }

    /// <summary>Null when the test passes, else why not.</summary>
    private static string? Run(JsonElement test, List<Resource> resources)
    {
        var read = ViewDefinitionReader.Read(test.GetProperty("view").GetRawText());
        var expectError = test.TryGetProperty("expectError", out _);
        if (read.View is not { } view)
        {
            return expectError ? null : "view refused: " + string.Join("; ", read.Issues.Select(i => i.ToString()));
        }

        var runner = new ViewRunner(view);
        var rows = new List<string>();
        try
        {
            foreach (var resource in resources)
            {
                runner.Run(resource, row => rows.Add(Canonical(view, row)));
            }
        }
        catch (ViewEvaluationException e)
        {
            return expectError ? null : "run failed: " + e.Issue;
        }

        if (expectError)
        {
            return $"expected an error, got {rows.Count} rows";
        }

        if (test.TryGetProperty("expectCount", out var count))
        {
            return rows.Count == count.GetInt32() ? null : $"expected {count.GetInt32()} rows, got {rows.Count}";
        }

        var expected = test.GetProperty("expect").EnumerateArray().Select(e => Canonical(JsonNode.Parse(e.GetRawText()))).ToList();
        var missing = Except(expected, rows);
        var extra = Except(rows, expected);
        return missing.Count == 0 && extra.Count == 0 ? null
            : $"missing rows [{string.Join(", ", missing)}]; unexpected rows [{string.Join(", ", extra)}]";
    }

    private static List<string> Except(List<string> left, List<string> right)
    {
        var remaining = right.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var l in left)
        {
            if (remaining.TryGetValue(l, out var n) && n > 0)
            {
                remaining[l] = n - 1;
            }
            else
            {
                result.Add(l);
            }
        }

        return result;
    }

    private static string Canonical(ViewDefinition view, object?[] row)
    {
        var o = new JsonObject();
        foreach (var c in view.Columns)
        {
            o[c.Name] = ToNode(row[c.Index]);
        }

        return Canonical(o);
    }

    private static JsonNode? ToNode(object? cell) => cell switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        decimal d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        IReadOnlyList<object?> list => new JsonArray(list.Select(ToNode).ToArray()),
        _ => JsonValue.Create(FhirPathEvaluator.ToFhirPathString(cell) ?? cell.ToString()),
    };

    /// <summary>Keys sorted, numbers normalized (1.0 = 1), everything else as JSON text.</summary>
    private static string Canonical(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject o:
                var sb = new StringBuilder("{");
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(JsonSerializer.Serialize(key)).Append(':').Append(Canonical(value)).Append(',');
                }

                return sb.Append('}').ToString();
            case JsonArray a:
                return "[" + string.Join(",", a.Select(Canonical)) + "]";
            default:
                using (var parsed = JsonDocument.Parse(node.ToJsonString()))
                {
                    var element = parsed.RootElement;
                    return element.ValueKind == JsonValueKind.Number
                    ? decimal.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture)
                    : element.GetRawText();
                }
        }
    }
}
