using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// FHIR XML parse and serialize throughput over a realistic corpus: all 5,306 R4 example resources (every resource
/// type, narratives, bundles, conformance resources) converted to compact XML by our serializer. MB/s counts XML
/// bytes (the same for both methods); run with --filter '*Xml*'.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class XmlBenchmarks
{
    private static readonly Lazy<List<byte[]>> XmlCorpus = new(() =>
        Corpus.R4Examples.Select(json => FhirXmlSerializer.SerializeToUtf8Bytes(FhirJsonParser.Parse(json).Value!)).ToList());

    private readonly MemoryStream _output = new(1 << 20);
    private List<byte[]> _xml = [];
    private List<Resource> _parsed = [];

    static XmlBenchmarks()
    {
        ThroughputColumn.Work[$"{nameof(XmlBenchmarks)}.{nameof(Parse)}"] = Work;
        ThroughputColumn.Work[$"{nameof(XmlBenchmarks)}.{nameof(Serialize)}"] = Work;
    }

    private static (long Bytes, int Resources) Work() => (XmlCorpus.Value.Sum(b => (long)b.Length), XmlCorpus.Value.Count);

    [GlobalSetup]
    public void Setup()
    {
        _xml = XmlCorpus.Value;
        _parsed = _xml.Select(b => FhirXmlParser.Parse(b).Value!).ToList();
    }

    [Benchmark]
    public int Parse()
    {
        var n = 0;
        foreach (var bytes in _xml)
        {
            n += FhirXmlParser.Parse(bytes).Issues.Count;
        }

        return n;
    }

    [Benchmark]
    public long Serialize()
    {
        // Into a reused stream, as a server writing responses does: measures the serializer, not array copies.
        long n = 0;
        foreach (var resource in _parsed)
        {
            _output.SetLength(0);
            FhirXmlSerializer.Serialize(resource, _output);
            n += _output.Length;
        }

        return n;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn("MB/s"), new ThroughputColumn("resources/s"), new ThroughputColumn("B/resource"));
        }
    }
}
