using System.Runtime.CompilerServices;
using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Rest.Bulk;

/// <summary>Newline-delimited FHIR JSON, read and written one resource at a time.</summary>
public static class Ndjson
{
    /// <summary>Resources of an NDJSON stream; a line that is not a resource throws with its line number.</summary>
    public static async IAsyncEnumerable<Resource> ReadAsync(Stream stream, ParserOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var result = FhirJsonParser.Parse(line, options ?? ParserOptions.Lenient);
            yield return result.Value ?? throw new FhirFormatException(
                $"NDJSON line {lineNumber} is not a FHIR resource: {string.Join("; ", result.Issues.Take(3))}");
        }
    }

    /// <summary>Appends one resource as one line.</summary>
    public static void Write(Stream stream, Resource resource)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FhirJsonSerializer.Serialize(resource, stream);
        stream.WriteByte((byte)'\n');
    }
}
