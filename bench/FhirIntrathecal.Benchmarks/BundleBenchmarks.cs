using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Firely;
using Hl7.Fhir.Serialization;
using F = Hl7.Fhir.Model;
using FhirJsonParser = FhirIntrathecal.Fhir.Serialization.Json.FhirJsonParser;
using FhirJsonSerializer = FhirIntrathecal.Fhir.Serialization.Json.FhirJsonSerializer;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// One 10,000-entry transaction Bundle (patients, observations and administrations with urn:uuid references, as our
/// push sends): JSON parse and serialize, ours beside Firely's SDK on the same bytes; the Ratio column is against ours.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[BenchJob(warmupCount: 2, iterationCount: 8)]
public class BundleBenchmarks
{
    private static readonly Lazy<byte[]> Json = new(() => FhirJsonSerializer.SerializeToUtf8Bytes(ValidationWorkloads.Transaction(10_000)));

    private readonly ArrayBufferWriter<byte> _output = new(16 << 20);
    private Utf8JsonWriter _writer = null!;
    private byte[] _json = [];
    private Resource _bundle = null!;
    private F.Resource _firelyBundle = null!;

    static BundleBenchmarks()
    {
        foreach (var method in new[] { nameof(Parse), nameof(FirelyParseStrict), nameof(FirelyParseOstrich), nameof(Serialize), nameof(FirelySerialize) })
        {
            ThroughputColumn.Work[$"{nameof(BundleBenchmarks)}.{method}"] = () => (Json.Value.Length, 10_000);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _json = Json.Value;
        _bundle = FhirJsonParser.Parse(_json).Value!;
        _firelyBundle = _bundle.ToFirely();
        _writer = new Utf8JsonWriter(_output);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Bundle parse")]
    public int Parse() => FhirJsonParser.Parse(_json).Issues.Count;

    [Benchmark, BenchmarkCategory("Bundle parse")]
    public int FirelyParseStrict() => FirelyParse(FirelyPeers.Strict);

    [Benchmark, BenchmarkCategory("Bundle parse")]
    public int FirelyParseOstrich() => FirelyParse(FirelyPeers.Ostrich);

    [Benchmark(Baseline = true), BenchmarkCategory("Bundle serialize")]
    public long Serialize()
    {
        _output.ResetWrittenCount();
        FhirJsonSerializer.Serialize(_bundle, _output);
        return _output.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Bundle serialize")]
    public long FirelySerialize()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        FirelyPeers.JsonWriter.Serialize(_firelyBundle, _writer);
        _writer.Flush();
        return _output.WrittenCount;
    }

    private int FirelyParse(BaseFhirJsonDeserializer deserializer)
    {
        var reader = new Utf8JsonReader(_json);
        deserializer.TryDeserializeResource(ref reader, out _, out var issues);
        return issues.Count();
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(BundleBenchmarks).TypeHandle);
            AddColumn(new ThroughputColumn("MB/s"), new ThroughputColumn("resources/s"), new ThroughputColumn("B/input B"));
        }
    }
}
