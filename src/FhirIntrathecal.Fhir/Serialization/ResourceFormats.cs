using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Serialization;

public enum FhirFormat
{
    Json,
    Xml,
    Ndjson,
}

/// <summary>One entry point over the formats, chosen by name or file extension.</summary>
public static class ResourceFormats
{
    public static FhirFormat FromName(string name) => name.ToLowerInvariant() switch
    {
        "json" => FhirFormat.Json,
        "xml" => FhirFormat.Xml,
        "ndjson" => FhirFormat.Ndjson,
        _ => throw new NotSupportedException($"Unknown FHIR format '{name}' (json, xml, ndjson)."),
    };

    public static FhirFormat FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".xml" => FhirFormat.Xml,
        ".ndjson" => FhirFormat.Ndjson,
        _ => FhirFormat.Json,
    };

    public static string Extension(FhirFormat format) => format switch
    {
        FhirFormat.Xml => ".xml",
        FhirFormat.Ndjson => ".ndjson",
        _ => ".json",
    };

    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> content, FhirFormat format, ParserOptions? options = null) => format switch
    {
        FhirFormat.Json => FhirJsonParser.Parse(content, options),
        FhirFormat.Xml => FhirXmlParser.Parse(content, options),
        _ => throw new NotSupportedException("NDJSON holds many resources: read it with Ndjson.ReadAsync."),
    };

    public static byte[] Serialize(Base instance, FhirFormat format, bool indented = false) => format switch
    {
        FhirFormat.Json => FhirJsonSerializer.SerializeToUtf8Bytes(instance, indented ? JsonWriteOptions.Pretty : JsonWriteOptions.Compact),
        FhirFormat.Xml => FhirXmlSerializer.SerializeToUtf8Bytes(instance, indented),
        _ => throw new NotSupportedException("NDJSON holds many resources: write it with Ndjson.WriteAsync."),
    };
}
