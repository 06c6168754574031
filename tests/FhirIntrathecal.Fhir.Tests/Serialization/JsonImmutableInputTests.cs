using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>
/// <see cref="FhirJsonParser.ParseImmutable"/> keeps long string values as slices of the caller's input (escaped or
/// not) instead of copies: the values, their equality, copies and serialized bytes are exactly those of the default
/// (copying) parse; and the default parse never references the caller's buffer.
/// </summary>
public class JsonImmutableInputTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string LongPlain = string.Concat(Enumerable.Repeat("plain text é ", 30));  // > 256 bytes, no escapes
    private static readonly string LongEscaped = "<div xmlns=\"http://www.w3.org/1999/xhtml\">\n" + string.Concat(Enumerable.Repeat("a \"quoted\" line\\ café 😀\t\n", 15)) + "</div>";

    // Escaped forms of every kind in the long escaped value (\" \\ \n \t, \u escapes of BMP and astral characters).
    private static readonly string Json = $$"""
        {"resourceType":"Observation","status":"final",
         "text":{"status":"generated","div":{{JsonString(LongEscaped).Replace("é", "\\u00e9", StringComparison.Ordinal).Replace("😀", "\\ud83d\\ude00", StringComparison.Ordinal)}}},
         "code":{"text":{{JsonString(LongPlain)}}},"note":[{"text":"short"},{"text":{{JsonString(LongPlain)}}}]}
        """;

    private static string JsonString(string s) => System.Text.Json.JsonSerializer.Serialize(s, Relaxed);

    /// <summary>The JSON placed after some other bytes in a larger array, so slices must carry the segment's offset.</summary>
    private static ReadOnlyMemory<byte> InLargerArray(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var array = new byte[utf8.Length + 20];
        array.AsSpan().Fill((byte)'#');
        utf8.CopyTo(array, 7);
        return array.AsMemory(7, utf8.Length);
    }

    private static Observation ParseImmutable(ReadOnlyMemory<byte> input)
    {
        var r = FhirJsonParser.ParseImmutable(input);
        Assert.Empty(r.Issues);
        return Assert.IsType<Observation>(r.Value);
    }

    [Fact]
    public void Long_values_are_slices_with_the_exact_text_equality_copies_and_bytes_of_the_copying_parse()
    {
        var sliced = ParseImmutable(InLargerArray(Json));
        var copied = Assert.IsType<Observation>(FhirJsonParser.Parse(Json).Value);

        Assert.IsType<Utf8Slice>(sliced.Text!.Div!.RawValue);
        Assert.IsType<Utf8Slice>(sliced.Code!.Text!.RawValue);
        Assert.IsType<byte[]>(sliced.Note[0].Text!.RawValue);  // short: shared array as always
        Assert.IsType<byte[]>(copied.Code!.Text!.RawValue);
        Assert.False(sliced.Text.Div.TryGetUtf8Value(out _));  // escaped in the input: no plain bytes to lend
        Assert.True(sliced.Code.Text.TryGetUtf8Value(out var plain));
        Assert.Equal(LongPlain, Encoding.UTF8.GetString(plain));

        // Serializing neither decodes the slices nor changes a byte, copies share them.
        var expected = FhirJsonSerializer.SerializeToUtf8Bytes(copied);
        Assert.Equal(expected, FhirJsonSerializer.SerializeToUtf8Bytes(sliced));
        Assert.Equal(FhirJsonSerializer.SerializeToString(copied, JsonWriteOptions.Pretty), FhirJsonSerializer.SerializeToString(sliced, JsonWriteOptions.Pretty));
        Assert.IsType<Utf8Slice>(sliced.Text.Div.RawValue);
        var copy = (Observation)sliced.DeepCopy();
        Assert.Same(sliced.Text.Div.RawValue, copy.Text!.Div!.RawValue);  // immutable: shared, not copied
        Assert.Equal(expected, FhirJsonSerializer.SerializeToUtf8Bytes(copy));

        Assert.True(sliced.IsExactly(copied));
        Assert.True(copied.IsExactly(sliced));
        Assert.True(copy.IsExactly(copied));
        Assert.True(copy.IsExactly(ParseImmutable(InLargerArray(Json))));
        Assert.False(ParseImmutable(InLargerArray(Json.Replace("quoted", "quoteD", StringComparison.Ordinal))).IsExactly(copy));
        Assert.IsType<Utf8Slice>(sliced.Text.Div.RawValue);  // compared as bytes, not decoded
        Assert.Equal(LongEscaped, sliced.Text.Div.Value);
        Assert.Equal(LongPlain, sliced.Note[1].Text!.Value);
        Assert.IsType<string>(sliced.Text.Div.RawValue);  // decoded once, then kept
        Assert.True(sliced.IsExactly(copied));
        sliced.Note[1].Text!.Value = LongPlain + "!";
        Assert.False(sliced.IsExactly(copied));
        Assert.False(copied.IsExactly(sliced));
    }

    [Fact]
    public void Slices_decode_to_the_same_text_from_several_threads_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var input = InLargerArray(Json);
        for (var round = 0; round < 50; round++)
        {
            var o = ParseImmutable(input);
            PrimitiveType[] values = [o.Text!.Div!, o.Code!.Text!];
            var texts = new string?[4, values.Length];
            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            using var start = new Barrier(texts.GetLength(0));
            var threads = Enumerable.Range(0, texts.GetLength(0)).Select(t => new Thread(() =>
            {
                try
                {
                    start.SignalAndWait(ct);
                    for (var i = 0; i < values.Length; i++)
                    {
                        var v = (i + t) % values.Length;  // threads start on different values
                        texts[t, v] = (string?)values[v].ObjectValue;
                    }
                }
#pragma warning disable CA1031 // a failure on a thread is the test's result, reported below (else the run would hang or crash)
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Enqueue(e);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(failures);
            for (var t = 0; t < texts.GetLength(0); t++)
            {
                Assert.Equal(LongEscaped, texts[t, 0]);
                Assert.Equal(LongPlain, texts[t, 1]);
            }
        }
    }

    [Fact]
    public void The_default_parse_copies_so_changing_the_callers_buffer_changes_no_value()
    {
        var bytes = Encoding.UTF8.GetBytes(Json);
        var parsed = Assert.IsType<Observation>(FhirJsonParser.Parse(bytes).Value);
        var written = FhirJsonSerializer.SerializeToUtf8Bytes(parsed);
        Assert.All(new[] { parsed.Text!.Div!.RawValue, parsed.Code!.Text!.RawValue }, v => Assert.IsType<byte[]>(v));

        bytes.AsSpan().Replace((byte)'a', (byte)'b');
        bytes.AsSpan().Replace((byte)'e', (byte)'f');
        Assert.Equal(written, FhirJsonSerializer.SerializeToUtf8Bytes(parsed));
        Assert.Equal(LongEscaped, parsed.Text.Div.Value);
        Assert.Equal(LongPlain, parsed.Code.Text.Value);
    }

    [Fact]
    public void A_long_value_that_is_not_utf8_is_a_located_error_as_in_the_copying_parse()
    {
        // A lone escaped surrogate inside a long escaped value; invalid raw bytes inside a long unescaped one.
        var head = Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\n\"name\":[{\"family\":\"" + new string('x', 300) + "\\ud800\"}],\"gender\":\"male\",\"birthDate\":\"");
        byte[] bad = [.. head, .. Encoding.UTF8.GetBytes(new string('y', 300)), 0xC3, 0x28, .. "\"}"u8];
        var sliced = FhirJsonParser.ParseImmutable(bad);
        var copied = FhirJsonParser.Parse(bad);
        Assert.Equal(2, sliced.Issues.Count);
        Assert.Equal(copied.Issues, sliced.Issues);
        Assert.Contains(sliced.Issues, i => i.Location == "Patient.name[0].family" && i.Line == 2 && i.Code == ParseCodes.InvalidValue);
        Assert.Equal("male", ((Patient)sliced.Value!).Gender!.Value);
    }

    /// <summary>
    /// A long escaped value is checked as it stands when that can vouch for it (valid bytes, no surrogate escape) and
    /// unescaped otherwise: either way the slice, or the located error, is exactly what the copying parse gives.
    /// </summary>
    [Theory]
    [InlineData("caf\\u00e9 \\n \\\"q\\\"", "café \n \"q\"", true)]    // BMP escapes only: checked as it stands
    [InlineData("a \\\\ud800 b", "a \\ud800 b", true)]                    // an escaped backslash before "ud800": text, not a surrogate
    [InlineData("\\ud83d\\ude00 pair", "😀 pair", true)]                   // a surrogate pair: unescaped to check
    [InlineData("lone \\udc00 low", null, false)]                           // a lone low surrogate
    [InlineData("\\t then ~ raw", null, false)]                             // escapes beside bytes that are not UTF-8 (~ becomes C3 28 below)
    public void A_long_escaped_value_is_kept_exactly_when_it_unescapes_to_utf8(string escapedTail, string? text, bool valid)
    {
        var head = Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\n\"name\":[{\"family\":\"" + new string('x', 300) + " ");
        var tilde = escapedTail.IndexOf('~', StringComparison.Ordinal);
        byte[] tail = tilde < 0 ? Encoding.UTF8.GetBytes(escapedTail)
            : [.. Encoding.UTF8.GetBytes(escapedTail[..tilde]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(escapedTail[(tilde + 1)..])];

        byte[] json = [.. head, .. tail, .. "\"}],\"gender\":\"male\"}"u8];
        var sliced = FhirJsonParser.ParseImmutable(json);
        var copied = FhirJsonParser.Parse(json);
        Assert.Equal(copied.Issues, sliced.Issues);
        var family = ((Patient)sliced.Value!).Name[0].Family;
        if (valid)
        {
            Assert.Empty(sliced.Issues);
            Assert.IsType<Utf8Slice>(family!.RawValue);
            Assert.Equal(new string('x', 300) + " " + text, family.Value);
            Assert.True(sliced.Value!.IsExactly(copied.Value!));
        }
        else
        {
            var issue = Assert.Single(sliced.Issues);
            Assert.Equal((ParseCodes.InvalidValue, "Patient.name[0].family", 2), (issue.Code, issue.Location, issue.Line));
            Assert.Null(family);
            Assert.Equal("male", ((Patient)sliced.Value!).Gender!.Value);
        }
    }

    [Fact]
    public void Every_R4_example_parsed_from_immutable_input_writes_the_bytes_of_the_copying_parse()
    {
        var slices = 0;
        var mismatches = new List<string>();
        foreach (var file in FhirPackages.ExampleFiles())
        {
            var bytes = File.ReadAllBytes(file);
            var sliced = FhirJsonParser.ParseImmutable(bytes).Value!;
            var copied = FhirJsonParser.Parse(bytes).Value!;
            var written = FhirJsonSerializer.SerializeToUtf8Bytes(sliced);
            slices += CountSlices(sliced);  // after writing: still slices (writing decodes nothing)
            if (!written.AsSpan().SequenceEqual(FhirJsonSerializer.SerializeToUtf8Bytes(copied)) || !sliced.IsExactly(copied))
            {
                mismatches.Add(Path.GetFileName(file));
            }
        }

        Assert.Empty(mismatches);
        Assert.True(slices > 10_000, $"only {slices} values were slices");
    }

    /// <summary>Slices in the tree, read without decoding any value (a primitive's children would decode it).</summary>
    private static int CountSlices(Base node)
    {
        var n = 0;
        foreach (var child in node.Children())
        {
            n += child.Value switch
            {
                PrimitiveType { RawValue: Utf8Slice } => 1,
                PrimitiveType => 0,
                Base b => CountSlices(b),
                _ => 0,
            };
        }

        return n;
    }
}
