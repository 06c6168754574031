using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// Reading from input the caller declared immutable (<see cref="FhirJsonParser.ParseImmutable"/>): long unescaped
/// string values are kept as <see cref="Utf8Slice"/>s of the input instead of copies. Any other reader copies.
/// </summary>
internal ref partial struct JsonResourceReader
{
    /// <summary>
    /// The shortest value kept as a slice: below it a copy (24 bytes of array header + the bytes) is about as small as
    /// a slice object (32 bytes), and short values are shared through <see cref="StringCache"/> anyway.
    /// </summary>
    internal const int MinSliceLength = 256;

    /// <summary>
    /// A reader over <paramref name="immutableInput"/>, which the caller never modifies while the parsed values live:
    /// they may reference it.
    /// </summary>
    public JsonResourceReader(ArraySegment<byte> immutableInput, ParserOptions options, PositionMap? positions, CancellationToken cancellationToken)
        : this(immutableInput.AsSpan(), options, positions, cancellationToken)
    {
        _immutableInput = immutableInput;
    }
}
