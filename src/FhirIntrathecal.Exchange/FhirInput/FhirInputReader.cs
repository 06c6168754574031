using System.Runtime.CompilerServices;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Exchange.FhirInput;

/// <summary>
/// The one way FHIR input (JSON, XML, NDJSON, Bundles, folders of them) becomes checked records: a strict parse (an
/// unknown element is a located error, never dropped), then validation against R4 core, the embedded IG, any
/// <c>--ig</c> and the requested profiles. With no validator (<c>--no-validate</c>) the parse stays strict. NDJSON is
/// read line by line, each line its own record located at its line; everything read is bounded. The validator is ours
/// or any <see cref="IValidationEngine"/> (Firely's, for <c>validate --engine firely</c>).
/// </summary>
public sealed class FhirInputReader(IValidationEngine? validator, IReadOnlyList<string>? profiles = null)
{
    /// <summary>The largest .json/.xml file or NDJSON line read; a larger one is a PARSE_TOO_LARGE error on that record.</summary>
    public const int MaxRecordBytes = 256 * 1024 * 1024;

    private static readonly NdjsonSplitOptions NdjsonSplit = new() { MaxLineBytes = MaxRecordBytes };

    private static readonly string[] Extensions = [".json", ".xml", ".ndjson"];

    private readonly IReadOnlyList<string> _profiles = profiles ?? [];

    /// <summary>False when validation was switched off (the parse is still strict).</summary>
    public bool Validates => validator is not null;

    /// <summary>
    /// A file as it is, or a folder's .json/.xml/.ndjson files (any depth, sorted, so runs repeat; package metadata and
    /// hidden files left out). Empty when a folder holds nothing to read.
    /// </summary>
    public static IReadOnlyList<string> Files(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path))
        {
            return [path];
        }

        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => System.IO.Path.GetFileName(f) is var name && name != "package.json" && !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsNdjson(string file) => file.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every record of every file, in order: one per .json/.xml file, one per non-blank NDJSON line.</summary>
    public async IAsyncEnumerable<FhirRecord> ReadAsync(IEnumerable<string> files, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                await foreach (var record in ReadAsync(stream, file, ct).ConfigureAwait(false))
                {
                    yield return record;
                }
            }
        }
    }

    /// <summary>
    /// The records of one input read from a stream (a file, or a body posted to the intake), named <paramref name="name"/>:
    /// its extension says the format (.ndjson line by line, .xml, otherwise JSON). A whole-document input over
    /// <see cref="MaxRecordBytes"/> is one PARSE_TOO_LARGE record, read no further.
    /// </summary>
    public async IAsyncEnumerable<FhirRecord> ReadAsync(Stream stream, string name, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (IsNdjson(name))
        {
            await foreach (var line in NdjsonSplitter.ReadLinesAsync(stream, NdjsonSplit, ct).ConfigureAwait(false))
            {
                // The line's own array: the splitter reuses its buffer.
                yield return line.TooLong ? TooLarge(name, line.Number) : Read(name, line.Number, line.Bytes.ToArray(), xml: false);
            }

            yield break;
        }

        var bytes = await ReadWholeAsync(stream, ct).ConfigureAwait(false);
        yield return bytes is null ? TooLarge(name, 0) : Read(name, 0, bytes, xml: name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The whole stream, or null when it holds more than <see cref="MaxRecordBytes"/> (then read no further).</summary>
    private static async Task<byte[]?> ReadWholeAsync(Stream stream, CancellationToken ct)
    {
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position > MaxRecordBytes)
            {
                return null;
            }

            var bytes = new byte[stream.Length - stream.Position];
            await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            return bytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxRecordBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Parses (strict) and validates one record; <paramref name="line"/> &gt; 0 places every issue on that NDJSON line.
    /// <paramref name="bytes"/> must be memory the caller owns and never modifies (a new array per record): the record's
    /// long values reference it (<see cref="FhirJsonParser.ParseImmutable"/>).
    /// </summary>
    public FhirRecord Read(string file, long line, ReadOnlyMemory<byte> bytes, bool xml)
    {
        var positions = new PositionMap();
        var parsed = xml
            ? FhirXmlParser.Parse(bytes.Span, ParserOptions.Strict, positions)
            : FhirJsonParser.ParseImmutable(bytes, ParserOptions.Strict, positions);
        var result = validator switch
        {
            null => new ValidationResult(parsed.Issues.Select(ValidationResult.FromParseIssue).ToList()),
            FhirValidator ours => ours.Validate(parsed, _profiles, positions),
            // Another engine (Firely) reads the bytes itself; ours still parsed them for the resource to send.
            var other => xml ? other.ValidateXml(bytes.Span, _profiles) : other.ValidateJson(bytes.Span, _profiles),
        };
        if (parsed.Value is null && result.IsValid)
        {
            // Nothing read and nothing said (an empty file): still an error, never a silent skip.
            result = new ValidationResult([ValidationResult.FromParseIssue(new ParseIssue(IssueSeverity.Error, ParseCodes.Empty, "no resource", string.Empty, 0, 0))]);
        }

        if (line > 0)
        {
            result = new ValidationResult(result.Issues.Select(i => i with { Line = line }).ToList());
        }

        return new FhirRecord(file, line, parsed.Value, result, bytes);
    }

    private static FhirRecord TooLarge(string file, long line) => new(file, line, null,
        new ValidationResult([ValidationResult.FromParseIssue(new ParseIssue(IssueSeverity.Fatal, ParseCodes.TooLarge,
            $"the record is larger than {MaxRecordBytes / (1024 * 1024)} MB", string.Empty, line, 0))]), ReadOnlyMemory<byte>.Empty);
}
