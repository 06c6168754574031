namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// The document text being parsed, so the narrative div can be taken verbatim from the input (entity forms, quoting
/// and whitespace exactly as written) instead of being re-serialized. Maps XmlReader line/column positions (1-based,
/// UTF-16 units, with CRLF, CR and LF each ending a line) back to offsets; the line table is built on first use.
/// </summary>
internal sealed class SourceText(string text)
{
    private List<int>? _lineStarts;

    public string Text { get; } = text;

    /// <summary>The offset of a 1-based line/column position, or -1 when out of range.</summary>
    public int Offset(int line, int column)
    {
        var starts = _lineStarts ??= BuildLineStarts(Text);
        if (line < 1 || line > starts.Count || column < 1)
        {
            return -1;
        }

        var offset = starts[line - 1] + column - 1;
        return offset < Text.Length ? offset : -1;
    }

    /// <summary>The 1-based line/column of an offset ((0, 0) when out of range): the inverse of <see cref="Offset"/>.</summary>
    public (int Line, int Column) Position(int offset)
    {
        if (offset < 0 || offset >= Text.Length)
        {
            return (0, 0);
        }

        var starts = _lineStarts ??= BuildLineStarts(Text);
        var index = starts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - starts[line] + 1);
    }

    /// <summary>The offset just past the '>' closing the tag whose name starts at <paramref name="nameOffset"/>, skipping quoted attribute values.</summary>
    public int EndOfTag(int nameOffset)
    {
        var quote = '\0';
        for (var i = nameOffset; i < Text.Length; i++)
        {
            var c = Text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
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

    private static List<int> BuildLineStarts(string text)
    {
        var starts = new List<int>(64) { 0 };
        var span = text.AsSpan();
        var i = 0;
        while (true)
        {
            var next = span[i..].IndexOfAny('\r', '\n');
            if (next < 0)
            {
                return starts;
            }

            i += next;
            if (span[i] == '\r' && i + 1 < span.Length && span[i + 1] == '\n')
            {
                i++;
            }

            i++;
            starts.Add(i);
        }
    }
}
