namespace FhirIntrathecal.Fhir.Serialization;

/// <summary>
/// Where every line of a UTF-8 input starts, built in one pass (vectorized newline search) and then looked up by
/// binary search: line/column of any number of offsets costs one scan of the input, never one scan per lookup.
/// </summary>
internal sealed class LineIndex
{
    private readonly long[] _lineStarts;

    private LineIndex(long[] lineStarts) => _lineStarts = lineStarts;

    public static LineIndex Empty { get; } = new([0]);

    public static LineIndex Build(ReadOnlySpan<byte> input)
    {
        var starts = new List<long> { 0 };
        var offset = 0;
        while (true)
        {
            var nl = input[offset..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            offset += nl + 1;
            starts.Add(offset);
        }

        return new LineIndex([.. starts]);
    }

    /// <summary>1-based line and column (in bytes) of a 0-based byte offset.</summary>
    public (long Line, long Column) Find(long offset)
    {
        var i = Array.BinarySearch(_lineStarts, offset);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return (i + 1, offset - _lineStarts[i] + 1);
    }
}
