using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// Reads FHIR JSON straight from UTF-8 with <see cref="Utf8JsonReader"/>, driven by the model metadata. Every problem is
/// collected with its code, location and line/column; what could be read is kept.
/// </summary>
public static partial class FhirJsonParser
{
    /// <summary>Parses one resource of any type.</summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> utf8Json, ParserOptions? options = null) => Parse(utf8Json, options, null);

    /// <summary>Parses one resource and records where each element started in <paramref name="positions"/> (for validation issues).</summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> utf8Json, ParserOptions? options, PositionMap? positions) =>
        Parse(utf8Json, options, positions, CancellationToken.None);

    /// <summary>
    /// Parses one resource, recording positions when <paramref name="positions"/> is given; a cancelled token stops
    /// reading with <see cref="OperationCanceledException"/> (checked at every property and array item).
    /// </summary>
    public static ParseResult<Resource> Parse(ReadOnlySpan<byte> utf8Json, ParserOptions? options, PositionMap? positions, CancellationToken cancellationToken) =>
        Read(new JsonResourceReader(utf8Json, options ?? ParserOptions.Strict, positions, cancellationToken));

    /// <summary>
    /// Parses one resource from memory the caller promises never to modify while the parsed values live (the contract of
    /// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>): long string values (at least 256
    /// bytes without escapes: narratives, attachments) then reference <paramref name="immutableUtf8Json"/> instead of
    /// being copied, so the parse allocates less and the input stays reachable for as long as any of them does. The
    /// values are the same as <see cref="Parse(ReadOnlySpan{byte}, ParserOptions?, PositionMap?, CancellationToken)"/>
    /// gives. Only for memory the caller owns outright (a file read into a new array); never for pooled or reused
    /// buffers. Memory not backed by an array is parsed with copies.
    /// </summary>
    public static ParseResult<Resource> ParseImmutable(ReadOnlyMemory<byte> immutableUtf8Json, ParserOptions? options = null, PositionMap? positions = null, CancellationToken cancellationToken = default) =>
        MemoryMarshal.TryGetArray(immutableUtf8Json, out var segment)
            ? Read(new JsonResourceReader(segment, options ?? ParserOptions.Strict, positions, cancellationToken))
            : Parse(immutableUtf8Json.Span, options, positions, cancellationToken);

    private static ParseResult<Resource> Read(JsonResourceReader reader)
    {
        var resource = reader.ReadRoot();
        return new ParseResult<Resource>(resource, reader.Issues);
    }

    public static ParseResult<Resource> Parse(string json, ParserOptions? options = null)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(json.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(json, buffer);
            return Parse(buffer.AsSpan(0, length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses a resource of an expected type; another type yields a <see cref="ParseCodes.ResourceType"/> error.</summary>
    public static ParseResult<T> Parse<T>(ReadOnlySpan<byte> utf8Json, ParserOptions? options = null)
        where T : Resource => Expect<T>(Parse(utf8Json, options));

    public static ParseResult<T> Parse<T>(string json, ParserOptions? options = null)
        where T : Resource => Expect<T>(Parse(json, options));

    /// <summary>Reads a whole stream (a resource is held in memory anyway) and parses it.</summary>
    public static async Task<ParseResult<Resource>> ParseAsync(Stream stream, ParserOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = stream.CanSeek ? new MemoryStream(checked((int)Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();
        await stream.CopyToAsync(ms, ct).ConfigureAwait(false);
        return Parse(ms.GetBuffer().AsSpan(0, (int)ms.Length), options, null, ct);
    }

    private static ParseResult<T> Expect<T>(ParseResult<Resource> result)
        where T : Resource
    {
        if (result.Value is null or T)
        {
            return new ParseResult<T>(result.Value as T, result.Issues);
        }

        var expected = ModelInfo.GetTypeInfo(typeof(T))?.Name ?? typeof(T).Name;
        var issues = result.Issues.Append(new ParseIssue(IssueSeverity.Error, ParseCodes.ResourceType,
            $"Expected a {expected} resource but found {result.Value.TypeInfo.Name}.", result.Value.TypeInfo.Name, 1, 1)).ToList();
        return new ParseResult<T>(null, issues);
    }
}
