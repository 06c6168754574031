using System.Buffers;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Scans of primitive text on the validation hot path, without LINQ or per-value buffers. base64Binary: valid when, with whitespace removed, it is base64 of a length divisible by 4. Checked once per value
/// without LINQ or per-value buffers (inline attachments run to megabytes): whitespace is stripped only when present, and
/// the bytes are decoded into a pooled buffer to learn their count.
/// </summary>
internal static class TextScan
{
    private static readonly SearchValues<char> WhiteSpace =
        SearchValues.Create(Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(char.IsWhiteSpace).ToArray());

    /// <summary>Any character <see cref="char.IsWhiteSpace(char)"/> accepts.</summary>
    public static bool ContainsWhiteSpace(string text) => text.AsSpan().IndexOfAny(WhiteSpace) >= 0;

    /// <summary>The number of bytes <paramref name="text"/> decodes to; false when it is not valid base64.</summary>
    public static bool TryGetBase64DecodedLength(string text, out int length)
    {
        length = 0;
        char[]? compactBuffer = null;
        ReadOnlySpan<char> chars = text;
        if (chars.IndexOfAny(WhiteSpace) >= 0)
        {
            compactBuffer = ArrayPool<char>.Shared.Rent(chars.Length);
            var n = 0;
            foreach (var c in chars)
            {
                if (!char.IsWhiteSpace(c))
                {
                    compactBuffer[n++] = c;
                }
            }

            chars = compactBuffer.AsSpan(0, n);
        }

        var bytes = ArrayPool<byte>.Shared.Rent((chars.Length * 3 / 4) + 3);
        try
        {
            return chars.Length % 4 == 0 && Convert.TryFromBase64Chars(chars, bytes, out length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (compactBuffer is not null)
            {
                ArrayPool<char>.Shared.Return(compactBuffer);
            }
        }
    }
}
