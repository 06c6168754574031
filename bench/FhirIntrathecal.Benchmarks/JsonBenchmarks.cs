using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Firely;
using Hl7.Fhir.Serialization;
using F = Hl7.Fhir.Model;
using FhirJsonParser = FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser;
using FhirJsonSerializer = FhirIntrathecal.Fhir.Serialization.Json.FhirJsonSerializer;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// FHIR JSON parse and serialize over all 5,306 R4 example resources (~188 MB as published, pretty-printed), ours
/// beside Firely's SDK (<c>Hl7.Fhir.R4</c>, Strict and Ostrich) on the same bytes in the same run, with
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> and a bare <see cref="Utf8JsonReader"/>
/// scan as the limit references. The Ratio column is against ours (the baseline of each category). The corpus arrays
/// are never modified, so ours parses them with <see cref="FhirJsonParser.ParseImmutable"/> (long values reference the
/// input, under the same contract as JsonDocument.Parse over memory); <see cref="ParseCopying"/> is the default parse.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[BenchJob(warmupCount: 2, iterationCount: 6)]
public class JsonBenchmarks
{

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private Utf8JsonWriter _firelyWriter = null!;
    private IReadOnlyList<byte[]> _json = [];
    private List<Resource> _parsed = [];
    private List<F.Resource> _firely = [];

    static JsonBenchmarks()
    {
        foreach (var method in new[] { nameof(Parse), nameof(ParseCopying), nameof(FirelyParseStrict), nameof(FirelyParseOstrich), nameof(JsonDocumentParse), nameof(Utf8JsonReaderScan), nameof(Serialize), nameof(FirelySerialize) })
        {
            ThroughputColumn.Work[$"{nameof(JsonBenchmarks)}.{method}"] = () => (Corpus.R4Examples.Sum(b => (long)b.Length), Corpus.R4Examples.Count);
        }
    }

    /// <summary>
    /// Each benchmark runs in its own process and holds only its own input: the parse benchmarks hold the bytes, not
    /// a parsed corpus they never read (hundreds of MB of live objects every full collection would have to mark).
    /// </summary>
    [GlobalSetup]
    public void Setup() => _json = Corpus.R4Examples;

    [GlobalSetup(Target = nameof(Serialize))]
    public void SetupSerialize() => _parsed = Corpus.R4Examples.Select(b => FhirJsonParser.Parse(b).Value!).ToList();

    [GlobalSetup(Target = nameof(FirelySerialize))]
    public void SetupFirelySerialize()
    {
        _firely = Corpus.R4Examples.Select(b => FhirJsonParser.Parse(b).Value!.ToFirely()).ToList();
        _firelyWriter = new Utf8JsonWriter(_output);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("JSON parse")]
    public int Parse() => ParseAll(static bytes => FhirJsonParser.ParseImmutable(bytes));

    /// <summary>The default parse: every value copied out of the input.</summary>
    [Benchmark, BenchmarkCategory("JSON parse")]
    public int ParseCopying() => ParseAll(static bytes => FhirJsonParser.Parse(bytes));

    private int ParseAll(Func<byte[], FhirIntrathecal.Fhir.Serialization.ParseResult<Resource>> parse)
    {
        var n = 0;
        foreach (var bytes in _json)
        {
            n += parse(bytes).Issues.Count;
        }

        return n;
    }

    [Benchmark, BenchmarkCategory("JSON parse")]
    public int FirelyParseStrict() => FirelyParse(FirelyPeers.Strict);

    [Benchmark, BenchmarkCategory("JSON parse")]
    public int FirelyParseOstrich() => FirelyParse(FirelyPeers.Ostrich);

    /// <summary>Limit reference: System.Text.Json's DOM over the same bytes (no FHIR model, no checks).</summary>
    [Benchmark, BenchmarkCategory("JSON parse")]
    public int JsonDocumentParse()
    {
        var n = 0;
        foreach (var bytes in _json)
        {
            using var doc = JsonDocument.Parse(bytes);
            n += doc.RootElement.GetPropertyCount();
        }

        return n;
    }

    /// <summary>Limit reference: every token read once, nothing built.</summary>
    [Benchmark, BenchmarkCategory("JSON parse")]
    public long Utf8JsonReaderScan()
    {
        long n = 0;
        foreach (var bytes in _json)
        {
            var reader = new Utf8JsonReader(bytes);
            while (reader.Read())
            {
                n++;
            }
        }

        return n;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("JSON serialize")]
    public long Serialize()
    {
        // Into a reused buffer, as a server or an NDJSON/Bundle writer does: measures the serializer, not array copies.
        long n = 0;
        foreach (var resource in _parsed)
        {
            _output.ResetWrittenCount();
            FhirJsonSerializer.Serialize(resource, _output);
            n += _output.WrittenCount;
        }

        return n;
    }

    [Benchmark, BenchmarkCategory("JSON serialize")]
    public long FirelySerialize()
    {
        long n = 0;
        foreach (var resource in _firely)
        {
            _output.ResetWrittenCount();
            _firelyWriter.Reset(_output);
            FirelyPeers.JsonWriter.Serialize(resource, _firelyWriter);
            _firelyWriter.Flush();
            n += _output.WrittenCount;
        }

        return n;
    }

    private int FirelyParse(BaseFhirJsonDeserializer deserializer)
    {
        var n = 0;
        foreach (var bytes in _json)
        {
            var reader = new Utf8JsonReader(bytes);
            deserializer.TryDeserializeResource(ref reader, out _, out var issues);
            n += issues.Count();
        }

        return n;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // The summary is rendered in the host process: make sure the work sizes are registered there too.
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(JsonBenchmarks).TypeHandle);
            AddColumn(new ThroughputColumn("MB/s"), new ThroughputColumn("resources/s"), new ThroughputColumn("B/resource"), new ThroughputColumn("B/input B"));
        }
    }
}
