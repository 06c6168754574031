using System.Runtime.CompilerServices;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// What <see cref="BundleEntries"/> read: the Bundle itself without its entries' resources (<see cref="Entry"/> null),
/// or the resource of entry <see cref="Entry"/> (0-based), its issues located in the whole input
/// (<c>Bundle.entry[3].resource.Patient.gender</c>, line and column of the input); or, for input that is not a Bundle,
/// the whole resource (<see cref="Entry"/> null).
/// </summary>
public sealed record BundleEntryRecord(int? Entry, ParseResult<Resource> Result);

/// <summary>
/// Reads a Bundle entry by entry, beside the whole-Bundle parse: a token scan finds each entry's resource, the Bundle
/// is parsed without them (its own elements and issues as in a whole parse), then each entry's resource is parsed only
/// when the caller asks for it, so the live model is one entry, not the whole Bundle (a 30 MB Bundle is about 150 MB
/// of model). The bytes themselves are held. Input that is not a Bundle, or not well-formed JSON, is parsed whole (its
/// located syntax error as the whole parse reports it). Limits apply per entry (<see cref="ParserOptions.MaxIssues"/>).
/// </summary>
public static class BundleEntries
{
    /// <summary>The Bundle, then each entry's resource, parsed as the enumeration reaches it (the bytes must stay valid until then).</summary>
    public static IEnumerable<BundleEntryRecord> Read(ReadOnlyMemory<byte> utf8Json, ParserOptions? options = null, CancellationToken ct = default)
    {
        var scan = BundleScan.Find(utf8Json.Span);
        if (scan is null)
        {
            yield return new BundleEntryRecord(null, FhirJsonParser.Parse(utf8Json.Span, options, null, ct));
            yield break;
        }

        yield return new BundleEntryRecord(null, BundleScan.ParseBundle(utf8Json.Span, options, ct));
        for (var i = 0; i < scan.Count; i++)
        {
            if (scan.HasResource(i))
            {
                yield return new BundleEntryRecord(i, scan.ParseEntry(utf8Json.Span, i, options, ct));
            }
        }
    }

    /// <summary>
    /// A Bundle file from a stream, entry by entry: the file's bytes are read (at most <paramref name="maxBytes"/>; a
    /// longer file is a located <see cref="ParseCodes.TooLarge"/> error and is not read) and one entry is parsed at a time.
    /// </summary>
    public static async IAsyncEnumerable<BundleEntryRecord> ReadAsync(Stream stream, ParserOptions? options = null, int maxBytes = 256 << 20, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = stream.CanSeek ? new MemoryStream((int)Math.Clamp(stream.Length - stream.Position, 0, maxBytes)) : new MemoryStream();
        var chunk = new byte[1 << 16];
        for (int read; (read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0;)
        {
            if (buffer.Length + read > maxBytes)
            {
                var issue = new ParseIssue(IssueSeverity.Fatal, ParseCodes.TooLarge, $"The input has more than {maxBytes} bytes; it was not read.", "", 1, 1);
                yield return new BundleEntryRecord(null, new ParseResult<Resource>(null, [issue]));
                yield break;
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var start = bytes.Span.StartsWith("\uFEFF"u8) ? 3 : 0;  // a byte order mark, as NDJSON lines drop it
        foreach (var record in Read(bytes[start..], options, ct))
        {
            yield return start == 0 ? record : record with { Result = Shift(record.Result, 0, start) };
        }
    }

    /// <summary>Moves issues found in a slice to where the slice starts in the input (line, and column on the slice's first line).</summary>
    internal static ParseResult<Resource> Shift(ParseResult<Resource> result, long line, long column, string? locationPrefix = null)
    {
        if (result.Issues.Count == 0)
        {
            return result;
        }

        var issues = result.Issues.Select(i => i with
        {
            Line = i.Line + line,
            Column = i.Line == 1 ? i.Column + column : i.Column,
            Location = locationPrefix is null ? i.Location : i.Location.Length == 0 ? locationPrefix : locationPrefix + "." + i.Location,
        }).ToList();
        return new ParseResult<Resource>(result.Value, issues);
    }
}

/// <summary>Where a Bundle's entries' resources lie in its bytes (found by one token scan).</summary>
internal sealed class BundleScan
{
    private readonly List<(int Start, int Length)> _entries;
    private LineIndex? _lines;  // built on the first entry with issues (entries may be parsed on several threads)

    private BundleScan(List<(int Start, int Length)> entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <summary>Bytes of an entry's resource (0 for none).</summary>
    public int Length(int entry) => _entries[entry].Length;

    /// <summary>Bytes of all the entries' resources.</summary>
    public long TotalLength => _entries.Sum(e => (long)e.Length);

    public bool HasResource(int entry) => Length(entry) > 0;

    /// <summary>
    /// Null unless the input is a well-formed JSON object with resourceType "Bundle" whose entries each have at most one
    /// resource (anything else is left to the whole parse, which reports it).
    /// </summary>
    public static BundleScan? Find(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1024 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            List<(int, int)>? entries = null;
            var isBundle = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("resourceType"u8) ? 1 : reader.ValueTextEquals("entry"u8) ? 2 : 0;
                reader.Read();
                if (name == 1)
                {
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("Bundle"u8))
                    {
                        return null;
                    }

                    isBundle = true;
                }
                else if (name == 2 && reader.TokenType == JsonTokenType.StartArray)
                {
                    if (entries is not null)
                    {
                        return null;
                    }

                    entries = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (ScanEntry(ref reader) is not { } entry)
                        {
                            return null;
                        }

                        entries.Add(entry);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            // The rest must be well-formed too (the whole parse reports what is not).
            while (reader.Read())
            {
            }

            return isBundle ? new BundleScan(entries ?? []) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The entry's resource (its object's bytes), (0, 0) for none, null when the entry has two.</summary>
    private static (int Start, int Length)? ScanEntry(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (0, 0);
        }

        (int Start, int Length) found = (0, 0);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isResource = reader.ValueTextEquals("resource"u8);
            reader.Read();
            if (isResource && found.Length > 0)
            {
                return null;
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isResource && reader.TokenType == JsonTokenType.EndObject)
            {
                found = (start, (int)reader.BytesConsumed - start);
            }
        }

        return found;
    }

    /// <summary>The Bundle without its entries' resources, with its own issues.</summary>
    public static ParseResult<Resource> ParseBundle(ReadOnlySpan<byte> json, ParserOptions? options, CancellationToken ct) =>
        FhirJsonParser.Parse(json, (options ?? ParserOptions.Strict) with { SkipEntryResources = true }, null, ct);

    /// <summary>One entry's resource, its issues located in the whole input.</summary>
    public ParseResult<Resource> ParseEntry(ReadOnlySpan<byte> json, int entry, ParserOptions? options, CancellationToken ct)
    {
        var (start, length) = _entries[entry];
        var result = FhirJsonParser.Parse(json.Slice(start, length), options, null, ct);
        if (result.Issues.Count == 0)
        {
            return result;
        }

        var lines = Volatile.Read(ref _lines);
        if (lines is null)
        {
            Interlocked.CompareExchange(ref _lines, LineIndex.Build(json), null);
            lines = _lines;
        }

        var (line, column) = lines.Find(start);
        return BundleEntries.Shift(result, line - 1, column - 1, $"Bundle.entry[{entry}].resource");
    }
}
