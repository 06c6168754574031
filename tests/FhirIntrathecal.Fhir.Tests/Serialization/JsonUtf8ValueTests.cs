using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>
/// String-like primitive values are kept as their exact UTF-8 after a JSON parse: decoded to a string only when read
/// (once, safe from several threads), written back by the serializer without decoding, compared and copied as bytes.
/// </summary>
public class JsonUtf8ValueTests
{
    // Escapes of every kind (quote, backslash, newline, BMP and astral \u escapes, a raw non-ASCII character), a
    // decimal whose text matters, and a narrative longer than the shared short-value table's limit.
    private const string Json = """
        {"resourceType":"Observation","status":"final",
         "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Line\none \\ caf\u00e9 \ud83d\ude00 é and more text to be longer than sixty-four bytes</div>"},
         "code":{"text":"Körpergewicht"},"valueQuantity":{"value":72.50,"unit":"kg"},"note":[{"text":"a \"quoted\" note"}]}
        """;

    private static Observation Parse(string json = Json)
    {
        var r = FhirJsonParser.Parse(json);
        Assert.Empty(r.Issues);
        return Assert.IsType<Observation>(r.Value);
    }

    [Fact]
    public void Values_are_held_as_utf8_until_read_and_then_decode_to_the_exact_text()
    {
        var o = Parse();
        Assert.True(o.Text!.Div!.TryGetUtf8Value(out var div));
        Assert.Equal("<div xmlns=\"http://www.w3.org/1999/xhtml\">Line\none \\ café 😀 é and more text to be longer than sixty-four bytes</div>",
            Encoding.UTF8.GetString(div));

        Assert.Equal("Körpergewicht", o.Code!.Text!.Value);
        Assert.False(o.Code.Text.TryGetUtf8Value(out _));  // read once: now held as the string
        Assert.Equal("a \"quoted\" note", o.Note[0].Text!.Value);
        Assert.Equal("72.50", ((Quantity)o.Value!).Value!.Lexical);
        Assert.Equal(72.50m, ((Quantity)o.Value!).Value!.Value);
    }

    [Fact]
    public void Serializing_writes_the_bytes_as_read_and_equals_the_output_of_decoded_values()
    {
        var kept = Parse();
        var decoded = Parse();
        foreach (var p in Primitives(decoded))
        {
            _ = p.ObjectValue;  // forces every value to a string
        }

        Assert.True(kept.Text!.Div!.TryGetUtf8Value(out _));
        var fromBytes = FhirJsonSerializer.SerializeToString(kept);
        Assert.Equal(FhirJsonSerializer.SerializeToString(decoded), fromBytes);
        Assert.True(kept.Text.Div.TryGetUtf8Value(out _), "serializing must not decode the value");
        Assert.Contains("\"value\":72.50", fromBytes);
        Assert.True(Parse(fromBytes).IsExactly(kept));
    }

    [Fact]
    public void Equality_and_copies_hold_between_utf8_and_string_values()
    {
        var parsed = Parse();
        var copy = (Observation)parsed.DeepCopy();
        Assert.True(copy.IsExactly(parsed));
        Assert.True(copy.Text!.Div!.TryGetUtf8Value(out _));

        var built = Parse();
        built.Code!.Text = new FhirString("Körpergewicht");  // a string value beside the parsed bytes
        Assert.True(built.IsExactly(parsed));
        Assert.True(parsed.IsExactly(built));
        built.Code.Text = new FhirString("Körpergewicht!");
        Assert.False(built.IsExactly(parsed));
        Assert.False(parsed.IsExactly(built));

        copy.Note[0].Text!.Value = "changed";
        Assert.Equal("a \"quoted\" note", parsed.Note[0].Text!.Value);  // the copy's change leaves the original
    }

    [Fact]
    public void Reading_a_value_from_several_threads_at_once_gives_the_same_text()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var round = 0; round < 50; round++)
        {
            var div = Parse().Text!.Div!;
            var texts = new string?[4];
            using var start = new Barrier(texts.Length);
            var threads = Enumerable.Range(0, texts.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait(ct);
                texts[i] = div.Value;
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(texts, t => Assert.Equal(texts[0], t));
            Assert.StartsWith("<div", texts[0]);
            Assert.False(div.TryGetUtf8Value(out _));
        }
    }

    [Fact]
    public void Invalid_utf8_is_a_located_error_and_the_other_values_are_kept()
    {
        // An escaped lone surrogate has no UTF-8 form; raw bytes C3 28 are not UTF-8 (escaped and unescaped paths).
        var json = Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"gender\":\"male\",\n\"name\":[{\"family\":\"\\ud800x\",\"given\":[\"X\",\"Y\"]}],\"birthDate\":\"");
        byte[] bad = [.. json, 0xC3, 0x28, .. "\"}"u8];
        var r = FhirJsonParser.Parse(bad);
        Assert.Equal(2, r.Issues.Count);
        Assert.All(r.Issues, i => Assert.Equal(ParseCodes.InvalidValue, i.Code));
        var family = Assert.Single(r.Issues, i => i.Location == "Patient.name[0].family");
        Assert.Equal((2L, 19L), (family.Line, family.Column));
        Assert.Contains(r.Issues, i => i.Location == "Patient.birthDate");
        var patient = Assert.IsType<Patient>(r.Value);
        Assert.Equal("male", patient.Gender!.Value);
        Assert.Equal(["X", "Y"], patient.Name[0].Given.Select(g => g.Value));
        Assert.Null(patient.Name[0].Family);
    }

    [Fact]
    public void Repeating_elements_are_read_into_lists_of_their_exact_size()
    {
        var r = FhirJsonParser.Parse("""
            {"resourceType":"Patient","name":[{"given":["A","B","C","D","E","F","G","H","I","J","K"],"_given":[null,{"id":"g2"}]}],
             "identifier":[{"value":"1"},{"value":"2"},{"value":"3"}]}
            """);
        Assert.Empty(r.Issues);
        var patient = Assert.IsType<Patient>(r.Value);
        Assert.Equal((1, 1), (patient.Name.Count, patient.Name.Capacity));
        Assert.Equal((3, 3), (patient.Identifier.Count, patient.Identifier.Capacity));
        Assert.Equal(["1", "2", "3"], patient.Identifier.Select(i => i.Value!.Value));
        var given = patient.Name[0].Given;
        Assert.Equal("ABCDEFGHIJK", string.Concat(given.Select(g => g.Value)));
        Assert.Equal((11, 11), (given.Count, given.Capacity));
        Assert.Equal("g2", given[1].Id);  // the companion stays aligned
    }

    private static IEnumerable<PrimitiveType> Primitives(Base node)
    {
        foreach (var child in node.Children())
        {
            if (child.Value is Base b)
            {
                if (b is PrimitiveType p)
                {
                    yield return p;
                }

                foreach (var inner in Primitives(b))
                {
                    yield return inner;
                }
            }
        }
    }
}
