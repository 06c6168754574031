using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

/// <summary>
/// The documented canonicalization used where byte equality of XML is impossible (the same content may be written
/// with other whitespace, quoting, entity forms or namespace declarations): one line per element with its expanded
/// name and its attributes sorted (namespace declarations and xsi attributes dropped), and its text. Whitespace-only
/// text is dropped in FHIR content, where it is not data, but kept inside xhtml, where it is; comments are dropped
/// everywhere (the parser ignores them). Entity and character references are resolved, so &amp;quot; equals ".
/// </summary>
internal static class XmlCanonical
{
    private const string Xhtml = "http://www.w3.org/1999/xhtml";

    public static string Canonicalize(string xml)
    {
        var doc = XDocument.Parse(xml, LoadOptions.PreserveWhitespace);
        var sb = new StringBuilder();
        Write(doc.Root!, sb, 0);
        return sb.ToString();
    }

    /// <summary>Canonical form of a narrative div string as held in the model / FHIR JSON.</summary>
    public static string CanonicalizeXhtml(string div) => Canonicalize(div);

    private static void Write(XElement e, StringBuilder sb, int depth)
    {
        sb.Append(' ', depth).Append('{').Append(e.Name.NamespaceName).Append('}').Append(e.Name.LocalName);
        foreach (var a in e.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.NamespaceName != "http://www.w3.org/2001/XMLSchema-instance")
                     .OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            sb.Append(' ').Append(a.Name).Append("=\"").Append(Escape(a.Value)).Append('"');
        }

        sb.Append('\n');
        foreach (var node in e.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    Write(child, sb, depth + 1);
                    break;
                case XText text when e.Name.NamespaceName == Xhtml || !string.IsNullOrWhiteSpace(text.Value):
                    sb.Append(' ', depth + 1).Append('"').Append(Escape(text.Value.Replace("\r\n", "\n"))).Append("\"\n");
                    break;
            }
        }
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\"", "\\\"");
}
