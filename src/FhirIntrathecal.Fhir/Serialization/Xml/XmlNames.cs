using System.Text;
using System.Xml;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>Namespaces and the hardened reader/writer settings shared by the FHIR XML parser and serializer.</summary>
internal static class XmlNames
{
    public const string FhirNamespace = "http://hl7.org/fhir";

    public const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    public const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>
    /// Reader settings: DTDs are prohibited and nothing is resolved, so external entities (XXE) and entity expansion
    /// (billion laughs) fail with a located XmlException instead of being processed. Whitespace is kept because it is
    /// content inside the narrative div; the parser skips it elsewhere.
    /// </summary>
    public static XmlReaderSettings CreateReaderSettings(XmlNameTable nameTable) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = false,
        IgnoreWhitespace = false,
        CloseInput = false,
        NameTable = nameTable,
    };

    public static XmlWriterSettings CreateWriterSettings(bool pretty, bool declaration) => new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = pretty,
        IndentChars = "  ",
        OmitXmlDeclaration = !declaration,
        // Newlines and tabs inside value attributes must be written as character references: a literal one would be
        // normalized to a space by every XML reader, changing the value.
        NewLineHandling = NewLineHandling.Entitize,
        CloseOutput = false,
    };
}
