using System.Collections;
using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>The XML reader's small helpers: lists, issues, positions and skipping.</summary>
internal sealed partial class XmlResourceReader
{
    private static IList GetOrCreateList(Base target, ElementInfo element)
    {
        if (target.GetValue(element) is IList existing)
        {
            return existing;
        }

        var list = element.Type.CreateList();
        target.SetValue(element, list);
        return list;
    }

    private void Unknown(string message, string location) =>
        Report(_options.UnknownElements == UnknownElementHandling.Error ? IssueSeverity.Error : IssueSeverity.Warning,
            ParseCodes.UnknownElement, message, location);

    /// <summary>Records a node at its start tag: XmlReader points at the element name, one character after the '&lt;'.</summary>
    private void RecordPosition(object node, (long Line, long Column) at)
    {
        if (_positions is not null && at.Line > 0 && at.Column > 1)
        {
            _positions.Record(node, at.Line, at.Column - 1);
        }
    }

    private (long Line, long Column) CurrentLine() =>
        _lineInfo is { } li && li.HasLineInfo() ? (li.LineNumber, li.LinePosition) : (0, 0);

    private void Report(IssueSeverity severity, string code, string message, string? location = null, (long Line, long Column)? at = null)
    {
        var (line, column) = at ?? CurrentLine();
        _issues.Add(new ParseIssue(severity, code, message, location ?? _location.ToString(), line, column));
    }

    private string LocationOrRoot(Resource? root) =>
        _location.Depth > 0 ? _location.ToString() : root?.TypeInfo.Name ?? string.Empty;

    /// <summary>Moves to the last node of the current element without looking at its content (iterative: no recursion).</summary>
    private void SkipElement()
    {
        if (_reader.NodeType != XmlNodeType.Element || _reader.IsEmptyElement)
        {
            return;
        }

        var depth = _reader.Depth;
        while (_reader.Read() && !(_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth))
        {
        }
    }
}
