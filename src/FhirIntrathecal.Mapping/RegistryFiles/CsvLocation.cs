namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>Line and character column of a field inside a raw CSV record (which may span lines inside quotes).</summary>
internal static class CsvLocation
{
    /// <summary>
    /// An error at field <paramref name="fieldIndex"/> (0-based; -1 = the record's start) of the record starting at
    /// <paramref name="line"/>: the line and 1-based column where that field begins.
    /// </summary>
    public static RegistryError Locate(string file, int line, string raw, int fieldIndex, string column, string message)
    {
        var start = FieldStart(raw, fieldIndex);
        var lineOffset = 0;
        var lineStart = 0;
        for (var i = 0; i < start; i++)
        {
            if (raw[i] == '\n')
            {
                lineOffset++;
                lineStart = i + 1;
            }
        }

        return new RegistryError(file, line + lineOffset, column, message) { Position = start - lineStart + 1 };
    }

    private static int FieldStart(string raw, int fieldIndex)
    {
        if (fieldIndex <= 0)
        {
            return 0;
        }

        var field = 0;
        var quoted = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted && ++field == fieldIndex)
            {
                return i + 1;
            }
        }

        return raw.TrimEnd('\r', '\n').Length;
    }
}
