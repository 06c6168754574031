using BenchmarkDotNet.Attributes;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// FHIR XML parse and serialize throughput over a realistic corpus: every 8th resource of the R4 examples package
/// (all resource types, narratives, bundles, conformance resources), converted to XML by our serializer. Each
/// operation processes the whole corpus; MB/s = <see cref="CorpusMegabytes"/> / mean time. JSON parse of the same
/// resources is there for comparison.
/// </summary>
[MemoryDiagnoser]
public class XmlBenchmarks
{
    private byte[][] _xml = [];
    private byte[][] _json = [];
    private Resource[] _models = [];
    private readonly MemoryStream _output = new(1 << 20);

    /// <summary>Size of the XML corpus in MB (10^6 bytes), printed at setup.</summary>
    public double CorpusMegabytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var cache = new PackageCache();
        new PackageRestorer(cache).RestoreAsync(PackageManifest.Default).GetAwaiter().GetResult();
        var files = Directory.GetFiles(cache.RequirePackageFolder(PackageManifest.R4Examples), "*.json")
            .Where(f => Path.GetFileName(f) is not ("package.json" or ".index.json"))
            .Order(StringComparer.Ordinal)
            .Where((_, i) => i % 8 == 0)
            .ToArray();
        _json = files.Select(File.ReadAllBytes).ToArray();
        _models = _json.Select(j => FhirJsonParser.Parse(j).Value!).ToArray();
        _xml = _models.Select(m => FhirXmlSerializer.SerializeToUtf8Bytes(m)).ToArray();
        CorpusMegabytes = _xml.Sum(x => (long)x.Length) / 1e6;
        Console.WriteLine($"// XML corpus: {_xml.Length} resources, {CorpusMegabytes:F2} MB (JSON: {_json.Sum(x => (long)x.Length) / 1e6:F2} MB)");
    }

    [Benchmark]
    public int ParseXml()
    {
        var n = 0;
        foreach (var x in _xml)
        {
            n += FhirXmlParser.Parse(x).Issues.Count;
        }

        return n;
    }

    [Benchmark]
    public long SerializeXml()
    {
        long total = 0;
        foreach (var m in _models)
        {
            _output.SetLength(0);
            FhirXmlSerializer.Serialize(m, _output);
            total += _output.Length;
        }

        return total;
    }

    [Benchmark(Baseline = true)]
    public int ParseJson()
    {
        var n = 0;
        foreach (var j in _json)
        {
            n += FhirJsonParser.Parse(j).Issues.Count;
        }

        return n;
    }
}
