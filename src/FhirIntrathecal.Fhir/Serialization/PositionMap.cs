namespace FhirIntrathecal.Fhir.Serialization;

/// <summary>
/// Optional side table a parser fills with where each element started in the input, so later findings (validation)
/// can report line/column. Keyed by instance identity; only offsets are stored while reading, lines are computed once
/// at the end and looked up by binary search. The XML parser records line/column directly instead (XmlReader reports
/// those, and its input may be a string or another encoding, so there is no single byte offset model to share).
/// </summary>
public sealed class PositionMap
{
    private readonly Dictionary<object, long> _offsets = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, (long Line, long Column)> _lineColumns = new(ReferenceEqualityComparer.Instance);
    private LineIndex _lines = LineIndex.Empty;

    public int Count => _offsets.Count + _lineColumns.Count;

    internal void Record(object node, long offset) => _offsets.TryAdd(node, offset);

    /// <summary>Records a 1-based line/column directly (XML: the '&lt;' of the element's start tag).</summary>
    internal void Record(object node, long line, long column) => _lineColumns.TryAdd(node, (line, column));

    /// <summary>Called once the input is read: records where every line starts.</summary>
    internal void SetInput(ReadOnlySpan<byte> input) => _lines = LineIndex.Build(input);

    /// <summary>
    /// 1-based line and column of an element, or (0, 0) when it was not read from input. Columns count like the parse
    /// issues of the same format: bytes for JSON, characters (UTF-16 units, as XmlReader reports them) for XML.
    /// </summary>
    public (long Line, long Column) Find(object node)
    {
        if (!_offsets.TryGetValue(node, out var offset))
        {
            return _lineColumns.TryGetValue(node, out var at) ? at : (0, 0);
        }

        return _lines.Find(offset);
    }
}
