using System.Text;
using System.Xml;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Captures a narrative <c>div</c> as the markup string FHIR JSON holds: <c>&lt;div xmlns="http://www.w3.org/1999/xhtml"&gt;…&lt;/div&gt;</c>.
/// When the input text is at hand and the div declares the xhtml namespace itself in that canonical way, the markup is
/// taken verbatim from the input (JSON → XML → model then gives back the very string the JSON held). Otherwise it is
/// re-serialized from the reader: xhtml elements unprefixed under one default namespace, text re-escaped minimally,
/// comments dropped. Both paths are iterative, so deep markup cannot overflow the stack.
/// </summary>
internal static class XhtmlMarkup
{
    private const string CanonicalStart = "<div xmlns=\"" + XmlNames.XhtmlNamespace + "\"";

    private static readonly XmlReaderSettings FragmentSettings = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
    };

    /// <summary>
    /// Reads the element the reader is on (the div) to its end and returns its markup. Elements nested deeper than
    /// <paramref name="maxDepth"/> (absolute reader depth) are left out and reported through <paramref name="tooDeep"/>.
    /// </summary>
    public static string Read(XmlReader reader, int maxDepth, Action tooDeep, SourceText? source)
    {
        var lineInfo = reader as IXmlLineInfo;
        var start = source is not null && lineInfo is not null && reader.Prefix.Length == 0
            ? source.Offset(lineInfo.LineNumber, lineInfo.LinePosition) - 1
            : -1;
        if (start < 0 || !source!.HasAt(start, CanonicalStart) || source.CharAt(start + CanonicalStart.Length) is not ('>' or '/' or ' ' or '\t' or '\r' or '\n'))
        {
            return Rewrite(reader, maxDepth, tooDeep);
        }

        return ReadVerbatim(reader, maxDepth, tooDeep, source, lineInfo!, start);
    }

    /// <summary>
    /// Walks the div without building anything and cuts its text out of the source. The text is self-contained unless
    /// it uses prefixes declared outside the div; that (rare) case, and markup cut for depth, are re-serialized from
    /// the cut text with the namespaces that were in scope.
    /// </summary>
    private static string ReadVerbatim(XmlReader reader, int maxDepth, Action tooDeep, SourceText source, IXmlLineInfo lineInfo, int start)
    {
        var startDepth = reader.Depth;
        Dictionary<string, string>? prefixes = null;
        var cut = false;
        var end = -1;
        if (reader.IsEmptyElement)
        {
            NotePrefixes(reader, ref prefixes);
            end = source.EndOfTag(start + 1);
        }
        else
        {
            NotePrefixes(reader, ref prefixes);
            var advanced = false;
            while (advanced || reader.Read())
            {
                advanced = false;
                if (reader.NodeType == XmlNodeType.Element)
                {
                    if (reader.Depth > maxDepth)
                    {
                        tooDeep();
                        cut = true;
                        reader.Skip();
                        advanced = true;
                        continue;
                    }

                    NotePrefixes(reader, ref prefixes);
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == startDepth)
                {
                    var nameOffset = source.Offset(lineInfo.LineNumber, lineInfo.LinePosition);
                    end = nameOffset < 0 ? -1 : source.EndOfTag(nameOffset);
                    break;
                }
                else if (reader.NodeType == XmlNodeType.None)
                {
                    break;
                }
            }
        }

        if (end < 0)
        {
            throw new XmlException("The narrative div could not be located in the input.");
        }

        var text = source.Slice(start, end);
        if (prefixes is null && !cut)
        {
            return text;
        }

        var names = new XmlNamespaceManager(new NameTable());
        foreach (var (prefix, ns) in prefixes ?? [])
        {
            names.AddNamespace(prefix, ns);
        }

        using var again = XmlReader.Create(new StringReader(text), FragmentSettings, new XmlParserContext(null, names, null, XmlSpace.None));
        again.MoveToContent();
        return Rewrite(again, maxDepth - startDepth, static () => { });
    }

    /// <summary>Records the namespaces of prefixed names (other than xml:/xmlns:), which may be declared outside the div.</summary>
    private static void NotePrefixes(XmlReader reader, ref Dictionary<string, string>? prefixes)
    {
        if (reader.Prefix.Length > 0)
        {
            (prefixes ??= [])[reader.Prefix] = reader.NamespaceURI;
        }

        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.Prefix.Length > 0 && reader.Prefix is not ("xml" or "xmlns"))
                {
                    (prefixes ??= [])[reader.Prefix] = reader.NamespaceURI;
                }
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }
    }

    /// <summary>Re-serializes the div from reader events.</summary>
    private static string Rewrite(XmlReader reader, int maxDepth, Action tooDeep)
    {
        var sb = new StringBuilder(256);
        var startDepth = reader.Depth;
        // The default namespace in force in the output at each open element, and the prefixes declared there.
        var defaults = new Stack<string>();
        var prefixes = new List<(int Depth, string Prefix, string Namespace)>();
        defaults.Push(string.Empty);
        if (WriteStart(reader, sb, defaults, prefixes))
        {
            return sb.ToString();
        }

        // After Skip the reader already stands on the next node, which must be processed without another Read.
        var advanced = false;
        while (advanced || reader.Read())
        {
            advanced = false;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Depth > maxDepth:
                    tooDeep();
                    reader.Skip();
                    advanced = true;
                    break;
                case XmlNodeType.Element:
                    if (WriteStart(reader, sb, defaults, prefixes))
                    {
                        prefixes.RemoveAll(p => p.Depth >= reader.Depth);
                    }

                    break;
                case XmlNodeType.EndElement:
                    sb.Append("</").Append(reader.LocalName).Append('>');
                    defaults.Pop();
                    prefixes.RemoveAll(p => p.Depth >= reader.Depth);
                    if (reader.Depth == startDepth)
                    {
                        return sb.ToString();
                    }

                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    EscapeText(sb, reader.Value);
                    break;
                case XmlNodeType.None:
                    return sb.ToString();
            }
        }

        return sb.ToString();
    }

    /// <summary>Writes a start tag; returns true when the element is empty (already closed).</summary>
    private static bool WriteStart(XmlReader reader, StringBuilder sb, Stack<string> defaults, List<(int Depth, string Prefix, string Namespace)> prefixes)
    {
        var depth = reader.Depth;
        var ns = reader.NamespaceURI;
        var empty = reader.IsEmptyElement;
        sb.Append('<').Append(reader.LocalName);
        // Elements are written unprefixed: declare the default namespace whenever it changes.
        if (defaults.Peek() != ns)
        {
            sb.Append(" xmlns=\"");
            EscapeAttribute(sb, ns);
            sb.Append('"');
        }

        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI == XmlNames.XmlnsNamespace)
                {
                    // Default and xhtml-prefix declarations are recomputed; keep other prefixes' declarations.
                    if (reader.Prefix == "xmlns" && reader.Value != XmlNames.XhtmlNamespace && reader.Value.Length > 0)
                    {
                        prefixes.Add((depth, reader.LocalName, reader.Value));
                        AppendAttribute(sb, reader.Name, reader.Value);
                    }

                    continue;
                }

                if (reader.Prefix.Length > 0 && reader.Prefix != "xml" && !prefixes.Exists(p => p.Prefix == reader.Prefix && p.Namespace == reader.NamespaceURI))
                {
                    prefixes.Add((depth, reader.Prefix, reader.NamespaceURI));
                    AppendAttribute(sb, "xmlns:" + reader.Prefix, reader.NamespaceURI);
                }

                AppendAttribute(sb, reader.Name, reader.Value);
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (empty)
        {
            sb.Append("/>");
            return true;
        }

        sb.Append('>');
        defaults.Push(ns);
        return false;
    }

    private static void AppendAttribute(StringBuilder sb, string name, string value)
    {
        sb.Append(' ').Append(name).Append("=\"");
        EscapeAttribute(sb, value);
        sb.Append('"');
    }

    private static void EscapeText(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '\r' => sb.Append("&#xD;"),
                _ => sb.Append(c),
            };
        }
    }

    private static void EscapeAttribute(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '"' => sb.Append("&quot;"),
                '\n' => sb.Append("&#xA;"),
                '\r' => sb.Append("&#xD;"),
                '\t' => sb.Append("&#x9;"),
                _ => sb.Append(c),
            };
        }
    }
}
