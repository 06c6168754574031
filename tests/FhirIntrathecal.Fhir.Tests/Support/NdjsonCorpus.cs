using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Support;

/// <summary>What <see cref="NdjsonCorpus.WriteAsync"/> wrote: the (type, id) of each line of one pass, and how many passes.</summary>
public sealed record NdjsonCorpusInfo(IReadOnlyList<(string Type, string? Id)> Pass, int Passes, long PassBytes, long LongestLine)
{
    public long Lines => (long)Pass.Count * Passes;
}

/// <summary>
/// Writes a big NDJSON file from FHIR JSON files (the R4 examples): each resource as one compact line, the whole
/// pass repeated until the file reaches the target size. One file at a time is held in memory. Shared (as a linked
/// source file) by the streaming tests and the benchmark project.
/// </summary>
public static class NdjsonCorpus
{
    public static async Task<NdjsonCorpusInfo> WriteAsync(IEnumerable<string> jsonFiles, string path, long targetBytes, CancellationToken ct)
    {
        var pass = new List<(string, string?)>();
        long longest = 0;
        await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            foreach (var file in jsonFiles)
            {
                var parsed = FhirJsonParser.Parse(await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false));
                if (parsed.Success)
                {
                    var start = output.Position;
                    Ndjson.Write(output, parsed.Value!);
                    longest = Math.Max(longest, output.Position - start);
                    pass.Add((parsed.Value!.TypeInfo.Name, parsed.Value.Id));
                }
            }
        }

        var passBytes = new FileInfo(path).Length;
        var passes = (int)Math.Max(1, (targetBytes + passBytes - 1) / passBytes);
        await using (var append = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true))
        {
            for (var i = 1; i < passes; i++)
            {
                await using var first = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
                var buffer = new byte[1 << 20];
                for (long left = passBytes; left > 0;)
                {
                    var read = await first.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new EndOfStreamException($"{path} is shorter than one pass.");
                    }

                    await append.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    left -= read;
                }
            }
        }

        return new NdjsonCorpusInfo(pass, passes, passBytes, longest);
    }
}
