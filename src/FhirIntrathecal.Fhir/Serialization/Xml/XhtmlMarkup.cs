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
    private const string CanonicalStart = "<div xmlns=\"" + XmlNames.XhtmlNamespace + "\"";

    /// <summary>
    /// Reads the element the reader is on (the div) to its end and returns its markup: verbatim from
    /// <paramref name="source"/> when the div declares the xhtml namespace itself in the canonical way and uses no
    /// prefixes (then the text is self-contained and exactly what FHIR JSON would hold), re-serialized otherwise.
    /// Elements nested deeper than <paramref name="maxDepth"/> (absolute reader depth) are skipped and reported
    /// through <paramref name="tooDeep"/>.
    /// </summary>
    public static string Read(XmlReader reader, int maxDepth, Action tooDeep, SourceText? source)
    {
        var sb = new StringBuilder(256);
        var startDepth = reader.Depth;
        var lineInfo = reader as IXmlLineInfo;
        var rawStart = source is not null && lineInfo is not null && reader.Prefix.Length == 0
            ? source.Offset(lineInfo.LineNumber, lineInfo.LinePosition) - 1
            : -1;
        var raw = rawStart >= 0 && IsCanonicalStart(source!.Text, rawStart);
        // The default namespace in force in the output at each open element, and the prefixes declared there.
        var defaults = new Stack<string>();
        var prefixes = new List<(int Depth, string Prefix, string Namespace)>();
        defaults.Push(string.Empty);
        raw &= !UsesPrefixes(reader);
        if (WriteStart(reader, sb, defaults, prefixes))
        {
            return raw ? RawUpTo(source!, rawStart, rawStart + 1) ?? sb.ToString() : sb.ToString();
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
                    raw &= !UsesPrefixes(reader);
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
                        return raw ? RawUpTo(source!, rawStart, source!.Offset(lineInfo!.LineNumber, lineInfo.LinePosition)) ?? sb.ToString() : sb.ToString();
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

    private static bool IsCanonicalStart(string text, int start) =>
        string.CompareOrdinal(text, start, CanonicalStart, 0, CanonicalStart.Length) == 0
        && start + CanonicalStart.Length < text.Length
        && text[start + CanonicalStart.Length] is '>' or '/' or ' ' or '\t' or '\r' or '\n';

    /// <summary>The source from the div's '&lt;' to the end of the tag whose name starts at <paramref name="lastNameOffset"/>.</summary>
    private static string? RawUpTo(SourceText source, int start, int lastNameOffset)
    {
        var end = lastNameOffset < 0 ? -1 : source.EndOfTag(lastNameOffset);
        return end < 0 ? null : source.Text[start..end];
    }

    /// <summary>A prefixed element or attribute (other than xml:*) may depend on declarations outside the div.</summary>
    private static bool UsesPrefixes(XmlReader reader)
    {
        if (reader.Prefix.Length > 0)
        {
            return true;
        }

        if (reader.MoveToFirstAttribute())
        {
            try
            {
                do
                {
                    if (reader.Prefix.Length > 0 && reader.Prefix is not ("xml" or "xmlns"))
                    {
                        return true;
                    }
                }
                while (reader.MoveToNextAttribute());
            }
            finally
            {
                reader.MoveToElement();
            }
        }

        return false;
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
