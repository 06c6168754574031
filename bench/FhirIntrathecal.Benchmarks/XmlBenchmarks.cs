using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Firely;
using Hl7.Fhir.Serialization;
using F = Hl7.Fhir.Model;
using FhirJsonParser = FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser;
using FhirXmlParser = FhirIntrathecal.Fhir.Serialization.Xml.FhirXmlParser;
using FhirXmlSerializer = FhirIntrathecal.Fhir.Serialization.Xml.FhirXmlSerializer;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// FHIR XML parse and serialize throughput over a realistic corpus: all 5,306 R4 example resources (every resource
/// type, narratives, bundles, conformance resources) converted to compact XML by our serializer. MB/s counts XML
/// bytes (the same for all methods); Firely's SDK (Ostrich parse, its writer) runs beside ours on the same bytes, and
/// the Ratio column is against ours. Run with --filter '*Xml*'.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[BenchJob(warmupCount: 2, iterationCount: 6)]
public class XmlBenchmarks
{
    private static readonly Lazy<List<byte[]>> XmlCorpus = new(() =>
        Corpus.R4Examples.Select(json => FhirXmlSerializer.SerializeToUtf8Bytes(FhirJsonParser.Parse(json).Value!)).ToList());

    private readonly MemoryStream _output = new(1 << 20);
    private List<byte[]> _xml = [];
    private List<Resource> _parsed = [];
    private List<F.Resource> _firely = [];
    private readonly BaseFhirXmlDeserializer _firelyReader = new FhirXmlDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));
    private readonly BaseFhirXmlSerializer _firelyWriter = new(F.ModelInfo.ModelInspector);

    static XmlBenchmarks()
    {
        ThroughputColumn.Work[$"{nameof(XmlBenchmarks)}.{nameof(Parse)}"] = Work;
        ThroughputColumn.Work[$"{nameof(XmlBenchmarks)}.{nameof(Serialize)}"] = Work;
        ThroughputColumn.Work[$"{nameof(XmlBenchmarks)}.{nameof(FirelyParse)}"] = Work;
        ThroughputColumn.Work[$"{nameof(XmlBenchmarks)}.{nameof(FirelySerialize)}"] = Work;
    }

    private static (long Bytes, int Resources) Work() => (XmlCorpus.Value.Sum(b => (long)b.Length), XmlCorpus.Value.Count);

    [GlobalSetup]
    public void Setup()
    {
        _xml = XmlCorpus.Value;
        _parsed = _xml.Select(b => FhirXmlParser.Parse(b).Value!).ToList();
        _firely = _parsed.Select(r => r.ToFirely()).ToList();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("XML parse")]
    public int Parse()
    {
        var n = 0;
        foreach (var bytes in _xml)
        {
            n += FhirXmlParser.Parse(bytes).Issues.Count;
        }

        return n;
    }

    [Benchmark, BenchmarkCategory("XML parse")]
    public int FirelyParse()
    {
        var n = 0;
        foreach (var bytes in _xml)
        {
            using var reader = System.Xml.XmlReader.Create(new MemoryStream(bytes, writable: false));
            _firelyReader.TryDeserializeResource(reader, out _, out var issues);
            n += issues.Count();
        }

        return n;
    }

    [Benchmark, BenchmarkCategory("XML serialize")]
    public long FirelySerialize()
    {
        long n = 0;
        foreach (var resource in _firely)
        {
            _output.SetLength(0);
            using (var writer = System.Xml.XmlWriter.Create(_output, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
            {
                _firelyWriter.Serialize(resource, writer);
            }

            n += _output.Length;
        }

        return n;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("XML serialize")]
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
            // The summary is rendered in the host process, which never touches XmlBenchmarks itself: run its static
            // constructor here (the host does build this config) so the throughput columns find their work sizes.
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(XmlBenchmarks).TypeHandle);
            AddColumn(new ThroughputColumn("MB/s"), new ThroughputColumn("resources/s"), new ThroughputColumn("B/resource"));
        }
    }
}
