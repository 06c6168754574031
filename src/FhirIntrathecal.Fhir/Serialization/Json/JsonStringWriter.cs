using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// Writes string values for <see cref="FhirJsonSerializer"/>: the same bytes <see cref="Utf8JsonWriter"/> writes with
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (which characters are escaped is read from that encoder once),
/// without its per-character encoder calls. Printable ASCII is copied in one vectorized pass, other runs are transcoded
/// at once, and only the characters the encoder escapes are escaped; the result goes to the writer as one raw value
/// (compact output; indented output, which raw values would not indent, keeps the writer's own path).
/// </summary>
internal static class JsonStringWriter
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Per UTF-16 code unit: true when the encoder escapes it (surrogates: always, as the encoder does with non-BMP text).</summary>
    private static readonly bool[] Escaped = BuildTable();

    /// <summary>Printable ASCII the encoder leaves as it is.</summary>
    private static readonly SearchValues<char> PlainAscii =
        SearchValues.Create(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => !Escaped[c]).ToArray());

    /// <summary>The same, as bytes: printable ASCII kept as it is.</summary>
    private static readonly SearchValues<byte> PlainAsciiBytes =
        SearchValues.Create(Enumerable.Range(0x20, 0x7F - 0x20).Where(c => !Escaped[c]).Select(c => (byte)c).ToArray());

    private const int StackLimit = 256;

    /// <summary>
    /// A value held as UTF-8 (as the parser read it). Printable ASCII the encoder keeps (ids, codes, dates, references)
    /// goes to the writer as it is, which copies it after its own vectorized check; anything else is escaped here
    /// exactly as its string form would be: printable ASCII runs copied in one pass, other characters decoded one by
    /// one and escaped only where the encoder escapes them. Ill-formed UTF-8 (never stored by the parser) goes through
    /// the writer itself, whatever it does with it.
    /// </summary>
    public static void WriteStringValue(Utf8JsonWriter w, ReadOnlySpan<byte> utf8)
    {
        var first = utf8.IndexOfAnyExcept(PlainAsciiBytes);
        if (first < 0 || w.Options.Indented || !WriteQuoted(w, utf8, (utf8.Length * 6) + 2, EncodeUtf8))
        {
            w.WriteStringValue(utf8);
        }
    }

    /// <summary>A value held as escaped JSON text of its input: unescaped into a pooled buffer, then written as UTF-8.</summary>
    public static void WriteStringValue(Utf8JsonWriter w, Model.Utf8Slice value)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(value.Length);
        try
        {
            WriteStringValue(w, buffer.AsSpan(0, value.CopyUtf8(buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private delegate int QuotedEncoder<T>(ReadOnlySpan<T> value, Span<byte> destination);

    /// <summary>
    /// Encodes into a stack or pooled buffer of <paramref name="max"/> bytes and hands the result to the writer as one raw
    /// value; false (nothing written) when the encoder returns a negative count: input it leaves to the writer.
    /// </summary>
    private static bool WriteQuoted<T>(Utf8JsonWriter w, ReadOnlySpan<T> value, int max, QuotedEncoder<T> encode)
    {
        if (max <= StackLimit)
        {
            Span<byte> small = stackalloc byte[StackLimit];
            return WriteRaw(w, small, encode(value, small));
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            return WriteRaw(w, rented, encode(value, rented));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool WriteRaw(Utf8JsonWriter w, Span<byte> buffer, int length)
    {
        if (length < 0)
        {
            return false;
        }

        w.WriteRawValue(buffer[..length], skipInputValidation: true);
        return true;
    }

    /// <summary>
    /// The quoted, escaped form of UTF-8 <paramref name="value"/>; returns the byte count, or -1 for ill-formed UTF-8.
    /// </summary>
    private static int EncodeUtf8(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var pos = 1;
        var i = 0;
        while (i < value.Length)
        {
            var run = value[i..].IndexOfAnyExcept(PlainAsciiBytes);
            var end = run < 0 ? value.Length : i + run;
            value[i..end].CopyTo(destination[pos..]);
            pos += end - i;
            i = end;

            // Then one character at a time up to the next printable ASCII (a run of non-ASCII text without a search per character).
            while (i < value.Length && (value[i] >= 0x80 || Escaped[value[i]]))
            {
                var written = EncodeUtf8Character(value, ref i, destination[pos..]);
                if (written < 0)
                {
                    return -1;
                }

                pos += written;
            }
        }

        destination[pos++] = (byte)'"';
        return pos;
    }

    /// <summary>The character at <paramref name="i"/> as the encoder writes it; moves past it. -1 for ill-formed UTF-8.</summary>
    private static int EncodeUtf8Character(ReadOnlySpan<byte> value, ref int i, Span<byte> destination)
    {
        if (Rune.DecodeFromUtf8(value[i..], out var rune, out var length) != OperationStatus.Done)
        {
            return -1;
        }

        i += length;
        if (!rune.IsBmp)
        {
            // The encoder escapes every non-BMP character, as its UTF-16 surrogate pair.
            var above = rune.Value - 0x10000;
            Unicode(destination, (char)(0xD800 + (above >> 10)));
            Unicode(destination[6..], (char)(0xDC00 + (above & 0x3FF)));
            return 12;
        }

        if (Escaped[rune.Value])
        {
            return EscapeBmp((char)rune.Value, destination);
        }

        value.Slice(i - length, length).CopyTo(destination);
        return length;
    }

    public static void WriteStringValue(Utf8JsonWriter w, string value)
    {
        // Plain ASCII (ids, codes, base64 data) goes to the writer, which transcodes it after its own vectorized check; so
        // does indented output (a raw value would not be indented). Otherwise the worst case is a 6-byte \uXXXX escape
        // per UTF-16 unit (a BMP character as UTF-8 is at most 3 bytes).
        if (w.Options.Indented || value.AsSpan().IndexOfAnyExcept(PlainAscii) < 0)
        {
            w.WriteStringValue(value);
            return;
        }

        _ = WriteQuoted(w, value.AsSpan(), (value.Length * 6) + 2, Encode);
    }

    public static void WriteString(Utf8JsonWriter w, JsonEncodedText name, string value)
    {
        w.WritePropertyName(name);
        WriteStringValue(w, value);
    }

    /// <summary>The quoted, escaped UTF-8 form of <paramref name="value"/>; returns the byte count.</summary>
    internal static int Encode(ReadOnlySpan<char> value, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var pos = 1;
        var i = 0;
        while (i < value.Length)
        {
            // A run of printable ASCII in one vectorized pass.
            var run = value[i..].IndexOfAnyExcept(PlainAscii);
            var end = run < 0 ? value.Length : i + run;
            pos += Encoding.ASCII.GetBytes(value[i..end], destination[pos..]);
            i = end;
            if (i == value.Length)
            {
                break;
            }

            if (Escaped[value[i]])
            {
                pos += Escape(value, ref i, destination[pos..]);
                continue;
            }

            // A run of other characters the encoder keeps, transcoded at once.
            var start = i++;
            while (i < value.Length && value[i] >= 0x80 && !Escaped[value[i]])
            {
                i++;
            }

            pos += Encoding.UTF8.GetBytes(value[start..i], destination[pos..]);
        }

        destination[pos++] = (byte)'"';
        return pos;
    }

    /// <summary>Escapes the character at <paramref name="i"/> (a surrogate pair as two \u escapes, a lone surrogate as \uFFFD) and moves past it.</summary>
    private static int Escape(ReadOnlySpan<char> value, ref int i, Span<byte> destination)
    {
        var c = value[i++];
        if (char.IsHighSurrogate(c) && i < value.Length && char.IsLowSurrogate(value[i]))
        {
            Unicode(destination, c);
            Unicode(destination[6..], value[i++]);
            return 12;
        }

        return EscapeBmp(char.IsSurrogate(c) ? '\uFFFD' : c, destination);
    }

    /// <summary>One escaped character that is not half of a surrogate pair: a short escape where JSON has one, else \uXXXX.</summary>
    private static int EscapeBmp(char c, Span<byte> destination)
    {
        switch (c)
        {
            case '"': return Short(destination, '"');
            case '\\': return Short(destination, '\\');
            case '\b': return Short(destination, 'b');
            case '\f': return Short(destination, 'f');
            case '\n': return Short(destination, 'n');
            case '\r': return Short(destination, 'r');
            case '\t': return Short(destination, 't');
        }

        Unicode(destination, c);
        return 6;
    }

    private static int Short(Span<byte> destination, char c)
    {
        destination[0] = (byte)'\\';
        destination[1] = (byte)c;
        return 2;
    }

    private static void Unicode(Span<byte> destination, char c)
    {
        const string Hex = "0123456789ABCDEF";
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = (byte)Hex[c >> 12];
        destination[3] = (byte)Hex[(c >> 8) & 0xF];
        destination[4] = (byte)Hex[(c >> 4) & 0xF];
        destination[5] = (byte)Hex[c & 0xF];
    }

    private static bool[] BuildTable()
    {
        var table = new bool[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            table[c] = char.IsSurrogate((char)c) || Encoder.WillEncode(c);
        }

        return table;
    }
}
