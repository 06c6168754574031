using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Reads FHIR R4 XML into the model. Streaming (XmlReader), hardened (no DTD, no entity expansion, no resolver),
/// and tolerant: every problem becomes a located <see cref="ParseIssue"/> and whatever could be read is returned.
/// </summary>
public static class FhirXmlParser
{
    public static ParseResult<Resource> Parse(Stream stream, ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return XmlResourceReader.Read(settings => XmlReader.Create(stream, settings), options);
    }

    public static ParseResult<Resource> Parse(string xml, ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return XmlResourceReader.Read(settings => XmlReader.Create(new StringReader(xml), settings), options);
    }

    /// <summary>Parses encoded bytes (UTF-8 unless a BOM or the XML declaration says otherwise).</summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> xml, ParserOptions? options = null)
    {
        // XmlReader needs a Stream; the copy keeps the span's lifetime out of the reader's.
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        return Parse(stream, options);
    }

    public static ParseResult<T> Parse<T>(Stream stream, ParserOptions? options = null)
        where T : Resource => As<T>(Parse(stream, options));

    public static ParseResult<T> Parse<T>(string xml, ParserOptions? options = null)
        where T : Resource => As<T>(Parse(xml, options));

    public static ParseResult<T> Parse<T>(ReadOnlySpan<byte> xml, ParserOptions? options = null)
        where T : Resource => As<T>(Parse(xml, options));

    private static ParseResult<T> As<T>(ParseResult<Resource> result)
        where T : Resource
    {
        if (result.Value is null or T)
        {
            return new ParseResult<T>((T?)result.Value, result.Issues);
        }

        var expected = ModelInfo.GetTypeInfo(typeof(T))?.Name ?? typeof(T).Name;
        var issues = result.Issues.Append(new ParseIssue(IssueSeverity.Fatal, ParseCodes.ResourceType,
            $"Expected a {expected} resource but found {result.Value.TypeInfo.Name}.", result.Value.TypeInfo.Name, 0, 0)).ToList();
        return new ParseResult<T>(null, issues);
    }
}
