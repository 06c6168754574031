using System.Xml;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Writes narrative markup. The stored string is written verbatim when it is the canonical form the parser and FHIR
/// JSON produce; it is first checked to be exactly one well-formed xhtml div, so model content can never inject
/// markup into the surrounding document. Other forms (no xmlns declaration, a prefix) are re-emitted node by node so
/// the div still lands in the xhtml namespace.
/// </summary>
internal static class XhtmlWriter
{
    private const string CanonicalStart = "<div xmlns=\"" + XmlNames.XhtmlNamespace + "\"";

    private static readonly XmlReaderSettings FragmentSettings = new()
    {
        ConformanceLevel = ConformanceLevel.Fragment,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = false,
    };

    public static void Write(XmlWriter writer, string markup)
    {
        var verbatim = markup.StartsWith(CanonicalStart, StringComparison.Ordinal)
            && markup.Length > CanonicalStart.Length && markup[CanonicalStart.Length] is '>' or ' ' or '/' or '\t' or '\n' or '\r';
        using (var check = Open(markup))
        {
            if (!IsSingleDiv(check))
            {
                throw new InvalidOperationException("Narrative.div must hold exactly one well-formed xhtml <div> element.");
            }
        }

        if (verbatim)
        {
            writer.WriteRaw(markup);
            return;
        }

        using var reader = Open(markup);
        reader.MoveToContent();
        writer.WriteNode(reader, defattr: true);
    }

    private static XmlReader Open(string markup)
    {
        // Unprefixed elements default to xhtml, so "<div>…</div>" is read (and re-written) in the right namespace.
        var nsManager = new XmlNamespaceManager(new NameTable());
        nsManager.AddNamespace(string.Empty, XmlNames.XhtmlNamespace);
        var context = new XmlParserContext(null, nsManager, null, XmlSpace.None);
        return XmlReader.Create(new StringReader(markup), FragmentSettings, context);
    }

    private static bool IsSingleDiv(XmlReader reader)
    {
        try
        {
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "div" || reader.NamespaceURI != XmlNames.XhtmlNamespace)
            {
                return false;
            }

            reader.Skip();
            while (!reader.EOF)
            {
                if (reader.NodeType is not (XmlNodeType.Whitespace or XmlNodeType.Comment or XmlNodeType.None))
                {
                    return false;
                }

                reader.Read();
            }

            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
