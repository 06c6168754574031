namespace FhirIntrathecal.Fhir.Serialization;

/// <summary>
/// Optional side table a parser fills with where each element started in the input, so later findings (validation)
/// can report line/column. Keyed by instance identity; only offsets are stored while reading, lines are computed once
/// at the end and looked up by binary search.
/// </summary>
public sealed class PositionMap
{
    private readonly Dictionary<object, long> _offsets = new(ReferenceEqualityComparer.Instance);
    private long[] _lineStarts = [0];

    public int Count => _offsets.Count;

    internal void Record(object node, long offset) => _offsets.TryAdd(node, offset);

    /// <summary>Called once the input is read: records where every line starts.</summary>
    internal void SetInput(ReadOnlySpan<byte> input)
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

        _lineStarts = starts.ToArray();
    }

    /// <summary>1-based line and column (in bytes, like parse issues) of an element, or (0, 0) when it was not read from input.</summary>
    public (long Line, long Column) Find(object node)
    {
        if (!_offsets.TryGetValue(node, out var offset))
        {
            return (0, 0);
        }

        var i = Array.BinarySearch(_lineStarts, offset);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return (i + 1, offset - _lineStarts[i] + 1);
    }
}
