using System.Buffers;
using System.Text.Json;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>
/// A primitive's value held as the range of the very JSON input it was parsed from (between the quotes), instead of a
/// copy: only made by <see cref="Serialization.Json.FhirJsonParser.ParseImmutable"/>, whose caller promises the input
/// is never modified. Either plain UTF-8 (the value's exact bytes) or JSON-escaped text (checked when parsed: it
/// unescapes to valid UTF-8), unescaped when used. Immutable; the array is never written through it, so copies share it
/// like a value array.
/// </summary>
internal sealed class Utf8Slice(byte[] input, int offset, int length, bool escaped)
{
    public int Length => length;

    /// <summary>The value's UTF-8 bytes, when the range is not escaped; false otherwise.</summary>
    public bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        utf8 = escaped ? default : input.AsSpan(offset, length);
        return !escaped;
    }

    /// <summary>
    /// Writes the value's UTF-8 bytes to <paramref name="destination"/> (at least <see cref="Length"/> bytes: unescaped is
    /// never longer); returns the byte count.
    /// </summary>
    public int CopyUtf8(Span<byte> destination)
    {
        if (!escaped)
        {
            input.AsSpan(offset, length).CopyTo(destination);
            return length;
        }

        var reader = Quoted();
        return reader.CopyString(destination);
    }

    public override string ToString() => escaped ? Quoted().GetString()! : System.Text.Encoding.UTF8.GetString(input, offset, length);

    /// <summary>The bytes of a raw primitive value held as plain UTF-8 (a value array or an unescaped slice); false for anything else.</summary>
    public static bool TryGetBytes(object? raw, out ReadOnlySpan<byte> utf8)
    {
        switch (raw)
        {
            case byte[] bytes:
                utf8 = bytes;
                return true;
            case Utf8Slice slice:
                return slice.TryGetUtf8(out utf8);
            default:
                utf8 = default;
                return false;
        }
    }

    /// <summary>
    /// Whether two raw values held as UTF-8 (value arrays or slices, escaped or not) are the same text, compared as bytes
    /// without decoding either to a string (escaped ones are unescaped into pooled buffers).
    /// </summary>
    public static bool Utf8Equals(object a, object b)
    {
        if (TryGetBytes(a, out var x) && TryGetBytes(b, out var y))
        {
            return x.SequenceEqual(y);
        }

        var left = ArrayPool<byte>.Shared.Rent(MaxLength(a));
        var right = ArrayPool<byte>.Shared.Rent(MaxLength(b));
        try
        {
            return left.AsSpan(0, CopyUtf8(a, left)).SequenceEqual(right.AsSpan(0, CopyUtf8(b, right)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(left);
            ArrayPool<byte>.Shared.Return(right);
        }
    }

    private static int MaxLength(object raw) => raw is Utf8Slice slice ? slice.Length : ((byte[])raw).Length;

    private static int CopyUtf8(object raw, Span<byte> destination)
    {
        if (raw is Utf8Slice slice)
        {
            return slice.CopyUtf8(destination);
        }

        ((byte[])raw).CopyTo(destination);
        return ((byte[])raw).Length;
    }

    /// <summary>A reader on the string token, quotes included (the input holds them on either side of the range).</summary>
    private Utf8JsonReader Quoted()
    {
        var reader = new Utf8JsonReader(input.AsSpan(offset - 1, length + 2));
        reader.Read();
        return reader;
    }
}
