using System.Buffers;
using System.Text.Json;
using FhirIntrathecal.Fhir.Serialization;
using Hl7.Fhir.Serialization;
using OurJson = FhirIntrathecal.Fhir.Serialization.Json;
using F = Hl7.Fhir.Model;
using Ours = FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Firely;

/// <summary>
/// Exact conversion between our R4 model and Firely's R4 POCOs, both ways, through the canonical FHIR JSON bytes:
/// our writer feeds Firely's <see cref="Utf8JsonReader"/>-based deserializer, Firely's writer feeds ours, with no
/// string in between. Both sides keep what FHIR JSON carries (decimal text, partial dates, extensions on primitives,
/// contained, narrative; what Firely's POCOs cannot hold alone is kept by <see cref="ExactLexicalForms"/>), so a round trip gives back an instance that <c>IsExactly</c> the original (a test proves it
/// on the 5,306 R4 examples). Firely is asked to keep everything it is given (<see cref="DeserializationMode.Ostrich"/>):
/// checking content is the validators' job, not the conversion's.
/// </summary>
public static class FirelyInterop
{
    private static readonly BaseFhirJsonDeserializer Deserializer = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));

    private static readonly BaseFhirJsonSerializer Serializer = new ExactLexicalForms.Serializer();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Our resource as a Firely POCO (a new instance; later changes to either side do not show in the other).</summary>
    public static F.Resource ToFirely(this Ours.Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var buffer = Buffer();
        OurJson.FhirJsonSerializer.Serialize(resource, buffer);
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        if (Deserializer.TryDeserializeResource(ref reader, out var converted, out var issues) && converted is not null)
        {
            ExactLexicalForms.Annotate(converted, buffer.WrittenSpan);
            return converted;
        }

        // Ostrich mode reports nothing for what our writer produces; anything else is a bug on one side, not bad input.
        throw new InvalidOperationException($"Firely refused a {resource.TypeInfo.Name} written by our serializer: {string.Join("; ", issues.Select(i => i.Message))}");
    }

    /// <summary>
    /// A Firely POCO as our resource, with every problem found on the way as located issues (the resource's own
    /// content may break FHIR rules our reader checks, e.g. an empty string Firely lets a caller set).
    /// </summary>
    public static ParseResult<Ours.Resource> FromFirely(this F.Resource resource, ParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var buffer = Buffer();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        try
        {
            Serializer.Serialize(resource, writer);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }

        return OurJson.FhirJsonParser.Parse(buffer.WrittenSpan, options);
    }

    /// <summary>A Firely resource of a known type as ours; a different type is a <see cref="ParseCodes.ResourceType"/> error.</summary>
    public static ParseResult<T> FromFirely<T>(this F.Resource resource, ParserOptions? options = null)
        where T : Ours.Resource
    {
        var result = FromFirely(resource, options);
        return result.Value is null or T
            ? new ParseResult<T>(result.Value as T, result.Issues)
            : new ParseResult<T>(null, [.. result.Issues, new ParseIssue(IssueSeverity.Error, ParseCodes.ResourceType,
                $"Expected a {typeof(T).Name} resource but found {result.Value.TypeInfo.Name}.", result.Value.TypeInfo.Name, 0, 0)]);
    }

    private static ArrayBufferWriter<byte> Buffer()
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Capacity > 4 * 1024 * 1024)
        {
            // Start small again after a huge resource: don't pin its buffer to the thread.
            t_buffer = buffer = new ArrayBufferWriter<byte>(16 * 1024);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }
}
