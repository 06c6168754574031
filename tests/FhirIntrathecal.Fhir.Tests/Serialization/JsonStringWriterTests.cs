using System.Buffers;
using System.Text;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>Our string writer against <see cref="Utf8JsonWriter"/> with the same encoder: the same bytes for every UTF-16 code unit.</summary>
public sealed class JsonStringWriterTests
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JsonStringWriter.Encoder, SkipValidation = true };

    public static IEnumerable<string> Cases()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (!char.IsSurrogate((char)c))
            {
                yield return "a" + (char)c + "b";
            }
        }

        yield return "\uD83D\uDE00";                       // a pair: one non-BMP character
        yield return "x\uD83D\uDE00y\U0001F600";
        yield return "\"quoted\" and \\ and \r\n\t\b\f \u0001 \u007F \u0085 \u00A0 \u2028 \uFEFF é µ ∑ 日本";
        yield return "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + new string('x', 300) + "ü</div>";
        yield return new string('a', 1000) + "\n" + new string('b', 1000);
        yield return "";
    }

    [Fact]
    public void Every_character_is_written_as_Utf8JsonWriter_writes_it()
    {
        var mismatches = new List<string>();
        foreach (var s in Cases())
        {
            var expected = Write(w => w.WriteStringValue(s));
            var ours = Write(w => JsonStringWriter.WriteStringValue(w, s));
            if (!expected.AsSpan().SequenceEqual(ours))
            {
                mismatches.Add($"{string.Join(" ", s.Select(c => ((int)c).ToString("X4")))}: expected {Encoding.UTF8.GetString(expected)}, ours {Encoding.UTF8.GetString(ours)}");
            }
        }

        Assert.Empty(mismatches.Take(20));
    }

    [Fact]
    public void Every_value_held_as_UTF8_is_written_as_Utf8JsonWriter_writes_it()
    {
        var mismatches = new List<string>();
        foreach (var s in Cases())
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            var expected = Write(w => w.WriteStringValue(utf8));
            var ours = Write(w => JsonStringWriter.WriteStringValue(w, utf8));
            if (!expected.AsSpan().SequenceEqual(ours))
            {
                mismatches.Add($"{Convert.ToHexString(utf8)}: expected {Encoding.UTF8.GetString(expected)}, ours {Encoding.UTF8.GetString(ours)}");
            }
        }

        Assert.Empty(mismatches.Take(20));
    }

    [Theory]
    [InlineData("61FF62")]            // a byte never in UTF-8
    [InlineData("61C3")]              // a sequence cut short
    [InlineData("C0AF")]              // overlong
    [InlineData("EDA080")]            // an encoded surrogate
    [InlineData("F4908080")]          // past U+10FFFF
    [InlineData("22E282AC5C0AF09F9880")] // well-formed: quote, euro, backslash, newline, a non-BMP character
    public void Ill_formed_UTF8_is_left_to_the_writer(string hex)
    {
        // Never stored by the parser; whatever the writer does with it (bytes or an exception), ours does the same.
        var utf8 = Convert.FromHexString(hex);
        var expected = Outcome(w => w.WriteStringValue(utf8));
        Assert.Equal(expected, Outcome(w => JsonStringWriter.WriteStringValue(w, utf8)));
    }

    [Fact]
    public void A_resource_with_escapes_and_non_ASCII_text_round_trips()
    {
        var text = "line 1\nline \"2\" \\ é 日本 \U0001F600 \u0001";
        var patient = new Patient { Id = "p1", Name = [new HumanName { Text = text }] };
        var json = FhirJsonSerializer.SerializeToUtf8Bytes(patient);
        Assert.Equal(Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("resourceType", "Patient");
            w.WriteString("id", "p1");
            w.WriteStartArray("name");
            w.WriteStartObject();
            w.WriteString("text", text);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }), json);
        var back = Assert.IsType<Patient>(FhirJsonParser.Parse(json, FhirIntrathecal.Fhir.Serialization.ParserOptions.Strict).Value);
        Assert.Equal(text, back.Name[0].Text?.Value);
    }

    private static string Outcome(Action<Utf8JsonWriter> write)
    {
        try
        {
            return Convert.ToHexString(Write(write));
        }
        catch (ArgumentException e)
        {
            return e.GetType().Name;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
