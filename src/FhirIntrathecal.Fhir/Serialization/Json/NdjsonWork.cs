using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>A piece of NDJSON parsing for one worker: some lines of a block, or some entries of one Bundle line.</summary>
internal sealed record NdjsonUnit(int Bytes, Func<NdjsonRecord[]> Run);

/// <summary>Cuts a block into units of work for <see cref="Ndjson.ReadAsync(Stream, NdjsonReadOptions, CancellationToken)"/> and parses them.</summary>
internal static class NdjsonWork
{
    /// <summary>
    /// The block's units in line order: its lines as one unit, except that (with <see cref="NdjsonReadOptions.BundleEntries"/>)
    /// a Bundle line longer than a block becomes its Bundle and then units of about a block of entries each. The block
    /// is disposed once every unit has run and the enumeration has ended.
    /// </summary>
    public static IEnumerable<NdjsonUnit> Units(NdjsonBlock block, NdjsonReadOptions options, CancellationToken ct)
    {
        var lease = new Lease(block);
        try
        {
            var group = new List<NdjsonLine>();
            var groupBytes = 0;
            foreach (var line in block)
            {
                var scan = options.BundleEntries && !line.TooLong && line.Bytes.Length > options.BlockBytes ? BundleScan.Find(line.Bytes.Span) : null;
                if (scan is null)
                {
                    group.Add(line);
                    groupBytes += line.Bytes.Length;
                    continue;
                }

                if (group.Count > 0)
                {
                    yield return lease.Unit(groupBytes, Lines(group, options, ct));
                    (group, groupBytes) = ([], 0);
                }

                var entryBytes = scan.TotalLength;
                yield return lease.Unit((int)(line.Bytes.Length - entryBytes), () =>
                    [Locate(new NdjsonRecord(line.Number, BundleScan.ParseBundle(line.Bytes.Span, options.Parser, ct)))]);
                for (var from = 0; from < scan.Count;)
                {
                    var (first, to, bytes) = (from, from + 1, (long)scan.Length(from));
                    for (; to < scan.Count && bytes + scan.Length(to) <= options.BlockBytes; to++)
                    {
                        bytes += scan.Length(to);
                    }

                    yield return lease.Unit((int)bytes, () => Entries(scan, line, first, to, options.Parser, ct));
                    from = to;
                }
            }

            if (group.Count > 0)
            {
                yield return lease.Unit(groupBytes, Lines(group, options, ct));
            }
        }
        finally
        {
            lease.Release();
        }
    }

    private static Func<NdjsonRecord[]> Lines(List<NdjsonLine> lines, NdjsonReadOptions options, CancellationToken ct) => () =>
    {
        var records = new List<NdjsonRecord>(lines.Count);
        foreach (var line in lines)
        {
            if (line.TooLong)
            {
                records.Add(TooLarge(line));
            }
            else if (options.BundleEntries)
            {
                foreach (var read in BundleEntries.Read(line.Bytes, options.Parser, ct))
                {
                    records.Add(Locate(new NdjsonRecord(line.Number, read.Result) { Entry = read.Entry }));
                }
            }
            else
            {
                records.Add(Locate(new NdjsonRecord(line.Number, FhirJsonParser.Parse(line.Bytes.Span, options.Parser, null, ct))));
            }
        }

        return [.. records];
    };

    private static NdjsonRecord[] Entries(BundleScan scan, NdjsonLine line, int from, int to, ParserOptions? options, CancellationToken ct)
    {
        var records = new List<NdjsonRecord>(to - from);
        for (var i = from; i < to; i++)
        {
            if (scan.HasResource(i))
            {
                records.Add(Locate(new NdjsonRecord(line.Number, scan.ParseEntry(line.Bytes.Span, i, options, ct)) { Entry = i }));
            }
        }

        return [.. records];
    }

    private static NdjsonRecord TooLarge(NdjsonLine line) => new(line.Number, new ParseResult<Resource>(null,
        [new ParseIssue(IssueSeverity.Error, ParseCodes.TooLarge,
            $"The line has {line.SkippedBytes} bytes or more, more than the {nameof(NdjsonReadOptions.MaxLineBytes)} limit; it was not read.", "", line.Number, 1)]));

    /// <summary>Inside one line every position is on line 1: the file's line instead.</summary>
    private static NdjsonRecord Locate(NdjsonRecord record) => record.Result.Issues.Count == 0 ? record
        : record with { Result = new ParseResult<Resource>(record.Result.Value, record.Result.Issues.Select(i => i with { Line = record.LineNumber }).ToList()) };

    /// <summary>Gives the block back once the unit enumeration and every unit handed out are done.</summary>
    private sealed class Lease(NdjsonBlock block)
    {
        private int _holders = 1;

        public NdjsonUnit Unit(int bytes, Func<NdjsonRecord[]> parse)
        {
            Interlocked.Increment(ref _holders);
            return new NdjsonUnit(bytes, () =>
            {
                try
                {
                    return parse();
                }
                finally
                {
                    Release();
                }
            });
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) == 0)
            {
                block.Dispose();
            }
        }
    }
}
