using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Reads FHIR R4 XML into the model. Streaming (XmlReader), hardened (no DTD, no entity expansion, no resolver),
/// and tolerant: every problem becomes a located <see cref="ParseIssue"/> and whatever could be read is returned.
/// </summary>
public static class FhirXmlParser
{
    /// <summary>
    /// Reads the whole stream first: a resource is materialized in memory anyway, and having the bytes lets the
    /// narrative div be kept exactly as written.
    /// </summary>
    public static ParseResult<Resource> Parse(Stream stream, ParserOptions? options = null) => Parse(stream, options, null);

    /// <summary>
    /// Parses a stream and records where each element's start tag is in <paramref name="positions"/> (for validation
    /// issues). The other overloads with a <see cref="PositionMap"/> do the same.
    /// </summary>
    public static ParseResult<Resource> Parse(Stream stream, ParserOptions? options, PositionMap? positions)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return ParseBytes(buffer.GetBuffer(), (int)buffer.Length, options, positions);
    }

    public static ParseResult<Resource> Parse(string xml, ParserOptions? options = null) => Parse(xml, options, null);

    public static ParseResult<Resource> Parse(string xml, ParserOptions? options, PositionMap? positions)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return XmlResourceReader.Read(settings => XmlReader.Create(new StringReader(xml), settings), options, SourceText.FromString(xml), positions);
    }

    /// <summary>Parses encoded bytes (UTF-8 unless a BOM or the XML declaration says otherwise).</summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> xml, ParserOptions? options = null) => Parse(xml, options, null);

    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> xml, ParserOptions? options, PositionMap? positions) =>
        ParseBytes(xml.ToArray(), xml.Length, options, positions);

    /// <summary>Parses an encoded array without copying it (the span overload must copy: the reader outlives no span).</summary>
    public static ParseResult<Resource> Parse(byte[] xml, ParserOptions? options = null) => Parse(xml, options, null);

    public static ParseResult<Resource> Parse(byte[] xml, ParserOptions? options, PositionMap? positions)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return ParseBytes(xml, xml.Length, options, positions);
    }

    private static ParseResult<Resource> ParseBytes(byte[] bytes, int length, ParserOptions? options, PositionMap? positions)
    {
        var span = bytes.AsSpan(0, length);
        if (!XmlEncoding.IsUtf8(span))
        {
            // Another encoding (UTF-16, ISO-8859-1...): XmlReader decodes it; the div is then re-serialized.
            return XmlResourceReader.Read(settings => XmlReader.Create(new MemoryStream(bytes, 0, length, writable: false), settings), options, null, positions);
        }

        // Without the BOM, so that offsets in the source line up with the reader's positions.
        var start = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        return XmlResourceReader.Read(
            settings => XmlReader.Create(new MemoryStream(bytes, start, length - start, writable: false), settings),
            options,
            SourceText.FromUtf8(bytes, start, length - start),
            positions);
    }

    public static ParseResult<T> Parse<T>(Stream stream, ParserOptions? options = null)
        where T : Resource => As<T>(Parse(stream, options));

    public static ParseResult<T> Parse<T>(string xml, ParserOptions? options = null)
        where T : Resource => As<T>(Parse(xml, options));

    public static ParseResult<T> Parse<T>(ReadOnlySpan<byte> xml, ParserOptions? options = null)
        where T : Resource => As<T>(Parse(xml, options));

    public static ParseResult<T> Parse<T>(byte[] xml, ParserOptions? options = null)
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
