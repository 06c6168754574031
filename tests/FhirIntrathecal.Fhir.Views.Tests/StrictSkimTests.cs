using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Views.Tests;

/// <summary>
/// The strict skim (<see cref="ElementSelection"/>): the elements a view does not
/// read are not built, yet an error anywhere in the resource is reported exactly as the full parse reports it.
/// </summary>
public sealed class StrictSkimTests
{
    private static readonly ElementSelection Reads = new(new Dictionary<string, IReadOnlySet<string>>
    {
        ["MedicationAdministration"] = new HashSet<string>(StringComparer.Ordinal) { "id", "subject", "effective", "dosage" },
    });

    // Unread here: meta, text, contained (a Patient with a primitive array and its companion), extension (nested, choice
    // values of several types), identifier, status and its _status companion, medicationReference, reasonReference, note.
    private const string Administration = """
        {
          "resourceType": "MedicationAdministration",
          "id": "ma-1",
          "meta": {"versionId": "3", "lastUpdated": "2024-05-01T10:00:00Z", "profile": ["https://example.org/fhir/StructureDefinition/ma"]},
          "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"},
          "contained": [{"resourceType": "Patient", "id": "p", "active": true, "name": [{"family": "Doe", "given": ["Jane", "Q"]}], "_birthDate": {"extension": [{"url": "https://example.org/e", "valueBoolean": false}]}, "birthDate": "1970-02-03", "multipleBirthInteger": 2}],
          "extension": [
            {"url": "https://example.org/needle-gauge", "valueInteger": 22},
            {"url": "https://example.org/position", "valueCodeableConcept": {"coding": [{"system": "https://example.org/cs", "code": "sitting", "display": "Sitting"}]}},
            {"url": "https://example.org/bed-rest", "valueQuantity": {"value": 1.50, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"}},
            {"url": "https://example.org/nested", "extension": [{"url": "a", "valuePositiveInt": 3}, {"url": "b", "valueUnsignedInt": 0}, {"url": "c", "valueDecimal": 2.0}]}
          ],
          "identifier": [{"system": "https://example.org/sid", "value": "A-1"}],
          "status": "completed",
          "_status": {"id": "s1"},
          "medicationReference": {"reference": "Medication/m1", "display": "Midazolam"},
          "subject": {"reference": "#p"},
          "effectiveDateTime": "2024-01-02T08:00:00Z",
          "reasonReference": [{"reference": "Condition/c1"}],
          "note": [{"authorString": "Dr. Who", "time": "2024-01-02", "text": "Tolerated well"}],
          "dosage": {"route": {"coding": [{"system": "http://snomed.info/sct", "code": "35361000"}]}, "dose": {"value": 2.5, "unit": "mg", "code": "mg"}}
        }
        """;

    private static readonly JsonNode?[] Replacements =
    [
        "", 7, -1, 0, 1.5, 3000000000L, true, null, "x", "2024-13-45", new JsonObject(), new JsonArray(),
        new JsonObject { ["bogus"] = 1 }, new JsonObject { ["id"] = "i" }, new JsonArray("x"), new JsonArray(new JsonObject { ["url"] = "u" }),
    ];

    [Fact]
    public void A_valid_resource_builds_only_the_read_elements_and_reports_nothing()
    {
        var full = FhirJsonParser.Parse(Encoding.UTF8.GetBytes(Administration));
        var selected = FhirJsonParser.Parse(Encoding.UTF8.GetBytes(Administration), Reads, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(full.Issues);
        Assert.Empty(selected.Issues);
        Assert.True(selected.Success);
        // Only the read elements were built (no fallback to the full read): the rest was checked without objects.
        Assert.Equal(["dosage", "effectiveDateTime", "id", "resourceType", "subject"], TopLevel(selected.Value!));
        Assert.Contains("contained", TopLevel(full.Value!));
        Assert.Equal(
            """{"resourceType":"MedicationAdministration","id":"ma-1","subject":{"reference":"#p"},"effectiveDateTime":"2024-01-02T08:00:00Z","dosage":{"route":{"coding":[{"system":"http://snomed.info/sct","code":"35361000"}]},"dose":{"value":2.5,"unit":"mg","code":"mg"}}}""",
            FhirJsonSerializer.SerializeToString(selected.Value!));
    }

    [Theory]
    [InlineData("\"status\": \"completed\",", "\"status\": \"completed\", \"status\": \"stopped\",", "PARSE_DUPLICATE_PROPERTY")]
    [InlineData("\"valueInteger\": 22}", "\"valueInteger\": 22, \"valueString\": \"22\"}", "PARSE_CHOICE_CONFLICT")]
    [InlineData("\"code\": \"sitting\"", "\"code\": \"sitting\", \"cod\\u0065\": \"x\"", "PARSE_DUPLICATE_PROPERTY")]
    [InlineData("\"family\": \"Doe\"", "\"family\": \"Doe\", \"famil\\u0078\": \"x\"", "PARSE_UNKNOWN_ELEMENT")]
    [InlineData("\"text\": \"Tolerated well\"", "\"text\": \"bad \\uD800 surrogate\"", "PARSE_INVALID_VALUE")]
    [InlineData("\"given\": [\"Jane\", \"Q\"]", "\"given\": [\"Jane\", null]", "PARSE_PRIMITIVE_ALIGNMENT")]
    [InlineData("\"resourceType\": \"Patient\"", "\"resourceType\": \"Patients\"", "PARSE_RESOURCE_TYPE")]
    [InlineData("\"valueDecimal\": 2.0}", "\"valueDecimal\": 2.0, \"_valueDecimal\": {\"id\": \"d\"}}", null)]
    [InlineData("\"given\": [\"Jane\", \"Q\"]", "\"given\": [\"Jane\", null], \"_given\": [null, {\"id\": \"g\"}]", null)]
    public void An_error_in_an_unread_element_is_reported_as_the_full_parse_reports_it(string find, string replace, string? code)
    {
        Assert.Contains(find, Administration, StringComparison.Ordinal);
        var json = Encoding.UTF8.GetBytes(Administration.Replace(find, replace, StringComparison.Ordinal));

        var full = FhirJsonParser.Parse(json);
        var selected = FhirJsonParser.Parse(json, Reads, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Render(full.Issues), Render(selected.Issues));
        if (code is null)
        {
            // Valid, if unusual: nothing to report either way.
            Assert.Empty(full.Issues);
            return;
        }

        var issue = Assert.Single(selected.Issues, i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
        Assert.Equal(code, issue.Code);
        Assert.True(issue.Line > 1, issue.ToString());
    }

    [Fact]
    public void Every_mutation_of_a_resource_gets_the_same_issues_from_the_skim_as_from_the_full_parse()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = JsonNode.Parse(Administration)!.AsObject();
        int mutations = 0, withIssues = 0, unreadWithIssues = 0;
        foreach (var mutated in Mutations(root))
        {
            mutations++;
            var json = Encoding.UTF8.GetBytes(mutated.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            var full = FhirJsonParser.Parse(json);
            var selected = FhirJsonParser.Parse(json, Reads, cancellationToken: ct);
            Assert.True(Render(full.Issues) == Render(selected.Issues), $"{Render(full.Issues)}\n---\n{Render(selected.Issues)}\n---\n{Encoding.UTF8.GetString(json)}");
            Assert.Equal(full.Success, selected.Success);
            if (full.Issues.Count == 0)
            {
                continue;
            }

            withIssues++;
            unreadWithIssues += full.Issues.All(i => InUnread(i.Location)) ? 1 : 0;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"Strict skim vs full parse: {mutations} mutations, {withIssues} with issues ({unreadWithIssues} only in unread elements), all identical");
        Assert.True(mutations > 500, $"{mutations}");
        Assert.True(unreadWithIssues > 300, $"{unreadWithIssues}");
    }

    /// <summary>The issue is inside a top-level element that <see cref="Reads"/> leaves unread (not an unknown top-level name).</summary>
    private static bool InUnread(string location) =>
        System.Text.RegularExpressions.Regex.IsMatch(location, @"^MedicationAdministration\.(meta|text|contained|extension|identifier|status|medication|reasonReference|note)([.\[]|$)");

    private static string Render(IReadOnlyList<ParseIssue> issues) => string.Join("\n", issues.Select(i => i.ToString()));

    private static List<string> TopLevel(Resource resource) =>
        [.. JsonNode.Parse(FhirJsonSerializer.SerializeToString(resource))!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Copies of the resource with one change each: every value replaced, every name changed, every array altered.</summary>
    private static IEnumerable<JsonObject> Mutations(JsonObject root)
    {
        var paths = new List<(JsonNode Parent, string? Key, int Index)>();
        Collect(root, paths);
        foreach (var (parent, key, index) in paths)
        {
            var path = parent.GetPath();
            foreach (var replacement in Replacements)
            {
                yield return Mutate(root, path, p => Set(p, key, index, replacement?.DeepClone()));
            }

            var current = key is null ? parent.AsArray()[index] : parent.AsObject()[key];
            if (current is JsonArray array)
            {
                yield return Mutate(root, path, p => Set(p, key, index, array[0]?.DeepClone()));
                yield return Mutate(root, path, p => Set(p, key, index, new JsonArray([.. array.Select(a => a?.DeepClone()), null])));
                yield return Mutate(root, path, p => Set(p, key, index, new JsonArray([.. array.Select(a => a?.DeepClone()), array[0]?.DeepClone()])));
            }
            else if (current is not null)
            {
                yield return Mutate(root, path, p => Set(p, key, index, new JsonArray(current.DeepClone())));
            }

            if (key is not null && key != "resourceType")
            {
                foreach (var name in new[] { "bogus", "_" + key, key + "String", key.TrimStart('_') + "X" })
                {
                    yield return Mutate(root, path, p =>
                    {
                        var o = p.AsObject();
                        var value = o[key]?.DeepClone();
                        o.Remove(key);
                        o[name] = value;
                    });
                }
            }
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode Parent, string? Key, int Index)> paths)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                paths.Add((o, key, -1));
                if (value is not null)
                {
                    Collect(value, paths);
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                paths.Add((a, null, i));
                if (a[i] is { } item)
                {
                    Collect(item, paths);
                }
            }
        }
    }

    private static JsonObject Mutate(JsonObject root, string parentPath, Action<JsonNode> change)
    {
        var copy = root.DeepClone().AsObject();
        change(Find(copy, parentPath));
        return copy;
    }

    private static JsonNode Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var step in System.Text.RegularExpressions.Regex.Matches(path, @"\['([^']*)'\]|\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]"))
        {
            var m = (System.Text.RegularExpressions.Match)step;
            node = m.Groups[3].Success ? node.AsArray()[int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)]! : node.AsObject()[m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value]!;
        }

        return node;
    }

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (key is null)
        {
            parent.AsArray()[index] = value;
        }
        else
        {
            parent.AsObject()[key] = value;
        }
    }
}
