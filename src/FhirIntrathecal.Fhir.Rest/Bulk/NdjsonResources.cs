using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Rest.Bulk;

/// <summary>Resources of a downloaded NDJSON stream, on top of the core's streaming reader.</summary>
internal static class NdjsonResources
{
    /// <summary>Each line's resource; a line that is not a resource throws with its line number (a download is then retried or reported, never half-used).</summary>
    public static async IAsyncEnumerable<Resource> ReadAsync(Stream stream, ParserOptions? options = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var record in Ndjson.ReadAsync(stream, options ?? ParserOptions.Lenient, ct).ConfigureAwait(false))
        {
            yield return record.Result.Value ?? throw new FhirFormatException(
                $"NDJSON line {record.LineNumber} is not a FHIR resource: {string.Join("; ", record.Result.Issues.Take(3))}");
        }
    }
}
