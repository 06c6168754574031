using System.Text;
using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Reads FHIR R4 XML into the model. Streaming (XmlReader), hardened (no DTD, no entity expansion, no resolver),
/// and tolerant: every problem becomes a located <see cref="ParseIssue"/> and whatever could be read is returned.
/// </summary>
public static class FhirXmlParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the whole stream first: a resource is materialized in memory anyway, and having the text lets the
    /// narrative div be kept exactly as written.
    /// </summary>
    public static ParseResult<Resource> Parse(Stream stream, ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), options);
    }

    public static ParseResult<Resource> Parse(string xml, ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return XmlResourceReader.Read(settings => XmlReader.Create(new StringReader(xml), settings), options, new SourceText(xml));
    }

    /// <summary>Parses encoded bytes (UTF-8 unless a BOM or the XML declaration says otherwise).</summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> xml, ParserOptions? options = null)
    {
        if (XmlEncoding.IsUtf8(xml))
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(xml.StartsWith("\uFEFF"u8) ? xml[3..] : xml);
            }
            catch (DecoderFallbackException ex)
            {
                return new ParseResult<Resource>(null,
                    [new ParseIssue(IssueSeverity.Fatal, ParseCodes.Syntax, $"The input is not valid UTF-8 (byte offset {ex.Index}).", string.Empty, 0, 0)]);
            }

            return Parse(text, options);
        }

        // Another encoding (UTF-16, ISO-8859-1...): let XmlReader decode it; the div is then re-serialized.
        var bytes = xml.ToArray();
        return XmlResourceReader.Read(settings => XmlReader.Create(new MemoryStream(bytes, writable: false), settings), options, null);
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
