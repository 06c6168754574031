using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Benchmarks;

/// <summary>FHIR JSON parse and serialize throughput over all 5,306 R4 example resources (~188 MB as published, pretty-printed).</summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class JsonBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private IReadOnlyList<byte[]> _json = [];
    private List<Resource> _parsed = [];

    static JsonBenchmarks()
    {
        ThroughputColumn.Work[$"{nameof(JsonBenchmarks)}.{nameof(Parse)}"] = () => (Corpus.R4Examples.Sum(b => (long)b.Length), Corpus.R4Examples.Count);
        ThroughputColumn.Work[$"{nameof(JsonBenchmarks)}.{nameof(Serialize)}"] = () =>
            (Corpus.R4Examples.Sum(b => (long)FhirJsonSerializer.SerializeToUtf8Bytes(FhirJsonParser.Parse(b).Value!).Length), Corpus.R4Examples.Count);
    }

    [GlobalSetup]
    public void Setup()
    {
        _json = Corpus.R4Examples;
        _parsed = _json.Select(b => FhirJsonParser.Parse(b).Value!).ToList();
    }

    [Benchmark]
    public int Parse()
    {
        var n = 0;
        foreach (var bytes in _json)
        {
            n += FhirJsonParser.Parse(bytes).Issues.Count;
        }

        return n;
    }

    [Benchmark]
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

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // The summary is rendered in the host process: make sure the work sizes are registered there too.
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(JsonBenchmarks).TypeHandle);
            AddColumn(new ThroughputColumn("MB/s"), new ThroughputColumn("resources/s"), new ThroughputColumn("B/resource"));
        }
    }
}
