using System.Text;
using System.Xml;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Captures a narrative <c>div</c> as the markup string FHIR JSON holds: <c>&lt;div xmlns="http://www.w3.org/1999/xhtml"&gt;…&lt;/div&gt;</c>,
/// with xhtml elements unprefixed under that one default namespace, whitespace and text kept as read (re-escaped
/// minimally), comments dropped. Iterative, so deep markup cannot overflow the stack.
/// </summary>
internal static class XhtmlMarkup
{
    /// <summary>
    /// Reads the element the reader is on (the div) to its end and returns its markup. Elements nested deeper than
    /// <paramref name="maxDepth"/> (absolute reader depth) are skipped and reported through <paramref name="tooDeep"/>.
    /// </summary>
    public static string Read(XmlReader reader, int maxDepth, Action tooDeep)
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
