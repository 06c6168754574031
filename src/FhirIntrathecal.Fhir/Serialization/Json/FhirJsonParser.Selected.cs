using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>Parsing only what a caller reads (<see cref="ElementSelection"/>).</summary>
public static partial class FhirJsonParser
{
    /// <summary>
    /// Parses one resource, building only the top-level elements <paramref name="selection"/> reads; the others are
    /// skimmed (checked, not built). When there is anything to report the whole resource is read again in full: the
    /// issues are exactly those of <see cref="Parse(ReadOnlySpan{byte}, ParserOptions?, PositionMap?, CancellationToken)"/>,
    /// and so is the resource.
    /// </summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> utf8Json, ElementSelection selection, ParserOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var reader = new JsonResourceReader(utf8Json, options ?? ParserOptions.Strict, null, cancellationToken);
        reader.Select(selection);
        var resource = reader.ReadRoot();
        if (reader.SkimStopped || reader.Issues.Count > 0)
        {
            return Parse(utf8Json, options, (PositionMap?)null, cancellationToken);
        }

        return new ParseResult<Resource>(resource, reader.Issues);
    }
}
