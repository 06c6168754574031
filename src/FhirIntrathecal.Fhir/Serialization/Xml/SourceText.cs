using System.Text;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// The document being parsed, as a string or as UTF-8 bytes (kept undecoded: decoding a whole document to a string
/// would double the allocation), so the narrative div can be taken verbatim from the input (entity forms, quoting
/// and whitespace exactly as written) instead of being re-serialized. Maps XmlReader line/column positions (1-based,
/// columns in UTF-16 units, CRLF, CR and LF each ending a line) to offsets; the line table is built on first use.
/// Everything searched for (&lt;, &gt;, quotes, line ends) is ASCII, which never occurs inside a UTF-8 multi-byte sequence.
/// </summary>
internal sealed class SourceText
{
    private readonly string? _text;
    private readonly byte[]? _bytes;
    private readonly int _start;
    private List<int>? _lineStarts;
    // The last position mapped: positions are asked for in document order, so mapping continues from there instead
    // of rescanning a long line (compact XML is one line) from its start each time.
    private long _lastLine;
    private long _lastColumn;
    private int _lastOffset;

    private SourceText(string? text, byte[]? bytes, int start, int length)
    {
        _text = text;
        _bytes = bytes;
        _start = start;
        Length = length;
    }

    public int Length { get; }

    public static SourceText FromString(string text) => new(text, null, 0, text.Length);

    /// <summary>UTF-8 bytes without a BOM (XmlReader positions do not count it).</summary>
    public static SourceText FromUtf8(byte[] bytes, int start, int length) => new(null, bytes, start, length);

    private int At(int i) => _text is not null ? _text[i] : _bytes![_start + i];

    /// <summary>The offset of a 1-based line/column position, or -1 when out of range.</summary>
    public int Offset(long line, long column)
    {
        var starts = _lineStarts ??= BuildLineStarts();
        if (line < 1 || line > starts.Count || column < 1)
        {
            return -1;
        }

        var offset = starts[(int)line - 1];
        if (_text is not null)
        {
            offset += (int)column - 1;
        }
        else
        {
            var units = column - 1;
            if (line == _lastLine && column >= _lastColumn)
            {
                offset = _lastOffset;
                units = column - _lastColumn;
            }

            // Advance by UTF-16 units: a 4-byte UTF-8 sequence is a surrogate pair (two units).
            for (; units > 0 && offset < Length;)
            {
                var b = At(offset);
                var (size, count) = b < 0x80 ? (1, 1) : b < 0xE0 ? (2, 1) : b < 0xF0 ? (3, 1) : (4, 2);
                offset += size;
                units -= count;
            }

            (_lastLine, _lastColumn, _lastOffset) = (line, column, offset);
        }

        return offset < Length ? offset : -1;
    }

    /// <summary>The 1-based line/column of an offset ((0, 0) when out of range): the inverse of <see cref="Offset"/>.</summary>
    public (long Line, long Column) Position(int offset)
    {
        if (offset < 0 || offset >= Length)
        {
            return (0, 0);
        }

        var starts = _lineStarts ??= BuildLineStarts();
        var index = starts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = _text is not null ? offset - starts[line] : Encoding.UTF8.GetCharCount(_bytes!, _start + starts[line], offset - starts[line]);
        return (line + 1, column + 1);
    }

    /// <summary>The offset just past the '>' closing the tag whose name starts at <paramref name="nameOffset"/>, skipping quoted attribute values.</summary>
    public int EndOfTag(int nameOffset)
    {
        var quote = 0;
        for (var i = nameOffset; i < Length; i++)
        {
            var c = At(i);
            if (quote != 0)
            {
                if (c == quote)
                {
                    quote = 0;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>Whether the ASCII text <paramref name="ascii"/> occurs at <paramref name="offset"/>.</summary>
    public bool HasAt(int offset, string ascii)
    {
        if (offset < 0 || offset + ascii.Length > Length)
        {
            return false;
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            if (At(offset + i) != ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    public int CharAt(int offset) => offset >= 0 && offset < Length ? At(offset) : -1;

    /// <summary>The first offset of an ASCII string, or -1.</summary>
    public int IndexOf(string ascii) => _text is not null
        ? _text.IndexOf(ascii, StringComparison.Ordinal)
        : _bytes.AsSpan(_start, Length).IndexOf(Encoding.ASCII.GetBytes(ascii));

    public string Slice(int start, int end) => _text is not null ? _text[start..end] : Encoding.UTF8.GetString(_bytes!, _start + start, end - start);

    private List<int> BuildLineStarts()
    {
        var starts = new List<int>(64) { 0 };
        var i = 0;
        while (true)
        {
            var next = _text is not null ? _text.AsSpan(i).IndexOfAny('\r', '\n') : _bytes.AsSpan(_start + i, Length - i).IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
            {
                return starts;
            }

            i += next;
            if (At(i) == '\r' && i + 1 < Length && At(i + 1) == '\n')
            {
                i++;
            }

            i++;
            starts.Add(i);
        }
    }
}
