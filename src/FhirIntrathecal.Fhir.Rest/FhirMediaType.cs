using System.Net.Http.Headers;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// Media types and (de)serialization per wire format (the core's <see cref="FhirFormat"/>: JSON or XML on the wire);
/// the only place in the client that knows the serializers.
/// </summary>
internal static class FhirMediaType
{
    public const string Json = "application/fhir+json";
    public const string Xml = "application/fhir+xml";
    public const string Ndjson = "application/fhir+ndjson";
    public const string JsonPatch = "application/json-patch+json";
    public const string FormUrlEncoded = "application/x-www-form-urlencoded";

    public static string Of(FhirFormat format) => format == FhirFormat.Xml ? Xml : Json;

    public static HttpContent Content(Resource resource, FhirFormat format)
    {
        // ByteArrayContent, not a stream: retries and the 401 replay must be able to send the body again.
        var bytes = ResourceFormats.Serialize(resource, format == FhirFormat.Xml ? FhirFormat.Xml : FhirFormat.Json);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(Of(format)) { CharSet = "utf-8" };
        return content;
    }

    /// <summary>Parses a body by its Content-Type (servers may answer JSON to an XML request and vice versa).</summary>
    public static async Task<ParseResult<Resource>> ParseAsync(HttpContent content, ParserOptions options, CancellationToken ct)
    {
        var mediaType = content.Headers.ContentType?.MediaType ?? string.Empty;
        var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                buffer.Position = 0;
                return FhirXmlParser.Parse(buffer, options);
            }

            return await FhirJsonParser.ParseAsync(stream, options, ct).ConfigureAwait(false);
        }
    }
}
