using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Tests.Support;

namespace FhirIntrathecal.Fhir.Tests.Definitions;

public sealed class ConformanceLoaderTests : IDisposable
{
    private const string ProfileJson = """
        {"resourceType":"StructureDefinition","url":"http://example.org/sd/active-patient","name":"ActivePatient","status":"active",
         "kind":"resource","abstract":false,"type":"Patient","baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
         "derivation":"constraint","differential":{"element":[{"id":"Patient.active","path":"Patient.active","min":1}]}}
        """;

    private const string ValueSetXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ValueSet xmlns="http://hl7.org/fhir">
          <url value="http://example.org/vs/colours"/>
          <status value="active"/>
        </ValueSet>
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("conformance-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_format_and_canonical_type_is_registered_and_snapshots_are_generated()
    {
        var profile = Write("profile.json", ProfileJson);
        var valueSet = Write("colours.xml", ValueSetXml);
        var ndjson = Write("more.ndjson",
            """{"resourceType":"CodeSystem","url":"http://example.org/cs/colours","status":"active","content":"complete"}""" + "\n"
            + """{"resourceType":"Questionnaire","url":"http://example.org/q/intake","status":"active"}""" + "\n");
        var bundle = Write("bundle.json", """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"SearchParameter","url":"http://example.org/sp/x","name":"x","status":"active","description":"x","code":"x","base":["Patient"],"type":"token"}},
              {"resource":{"resourceType":"Measure","url":"http://example.org/m/y","status":"active"}},
              {"resource":{"resourceType":"Patient","id":"not-conformance"}}]}
            """);
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "folder")).FullName;
        File.WriteAllText(Path.Combine(folder, "nsys.json"), """{"resourceType":"NamingSystem","name":"n","status":"active","kind":"identifier","date":"2020-01-01","uniqueId":[{"type":"uri","value":"urn:x"}]}""");
        File.WriteAllText(Path.Combine(folder, "opdef.json"), """{"resourceType":"OperationDefinition","url":"http://example.org/op/z","name":"z","status":"active","kind":"operation","code":"z","system":false,"type":false,"instance":false}""");
        File.WriteAllText(Path.Combine(folder, "example.json"), """{"resourceType":"Patient","id":"p"}""");
        var tgz = WritePackage("pkg.tgz", ("package/package.json", """{"name":"example.pkg","version":"1.0.0"}"""),
            ("package/ConceptMap-cm.json", """{"resourceType":"ConceptMap","url":"http://example.org/cm/1","status":"active"}"""),
            ("package/ImplementationGuide-ig.json", """{"resourceType":"ImplementationGuide","url":"http://example.org/ig","name":"ig","status":"active","packageId":"example.pkg","fhirVersion":["4.0.1"]}"""),
            ("package/example/Patient-p.json", """{"resourceType":"Patient","id":"p"}"""));

        var set = ConformanceLoader.Load([profile, valueSet, ndjson, bundle, folder, tgz], FhirPackages.Cache);

        Assert.False(set.HasErrors, string.Join("\n", set.Issues));
        var resolver = set.Resolver;
        var sd = Assert.IsType<StructureDefinition>(resolver.ResolveCanonical("http://example.org/sd/active-patient"));
        Assert.Equal(1, sd.Snapshot!.Element.Single(e => e.Path?.Value == "Patient.active").Min?.Value);
        Assert.True(sd.Snapshot.Element.Count > 20);
        Assert.IsType<ValueSet>(resolver.ResolveCanonical("http://example.org/vs/colours"));
        Assert.IsType<CodeSystem>(resolver.ResolveCanonical("http://example.org/cs/colours"));
        Assert.IsType<Questionnaire>(resolver.ResolveCanonical("http://example.org/q/intake"));
        Assert.IsType<SearchParameter>(resolver.ResolveCanonical("http://example.org/sp/x"));
        Assert.IsType<Measure>(resolver.ResolveCanonical("http://example.org/m/y"));
        Assert.IsType<OperationDefinition>(resolver.ResolveCanonical("http://example.org/op/z"));
        Assert.IsType<ConceptMap>(resolver.ResolveCanonical("http://example.org/cm/1"));
        Assert.IsType<ImplementationGuide>(resolver.ResolveCanonical("http://example.org/ig"));
        Assert.IsType<NamingSystem>(resolver.ResolveCanonical("urn:x"));
        Assert.DoesNotContain(set.Resources, r => r is Patient);
        // The folder's example is skipped with a warning; the archive's example/ folder is not read at all.
        var skipped = Assert.Single(set.Issues);
        Assert.Equal((ConformanceCodes.SkippedNonConformance, Path.Combine(folder, "example.json")), (skipped.Code, skipped.Source));
        // Core definitions stay available behind what was loaded.
        Assert.NotNull(resolver.ResolveCanonical("http://hl7.org/fhir/StructureDefinition/Patient"));
    }

    [Fact]
    public void What_cannot_be_loaded_is_a_located_error_and_the_rest_still_loads()
    {
        var good = Write("profile.json", ProfileJson);
        var broken = Write("broken.json", "{\"resourceType\":\"ValueSet\",\n  \"url\": \"http://example.org/vs/x\",\n  \"status\": }");
        var brokenXml = Write("broken.xml", "<ValueSet xmlns=\"http://hl7.org/fhir\">\n  <url value=\"http://example.org/vs/y\">\n</ValueSet>");
        var patient = Write("patient.json", """{"resourceType":"Patient","id":"p"}""");
        var badNdjson = Write("lines.ndjson", """{"resourceType":"CodeSystem","url":"http://example.org/cs/ok","status":"active","content":"complete"}""" + "\n{oops\n");
        var notArchive = Write("fake.tgz", "not gzip at all");
        var missing = Path.Combine(_dir, "missing.json");

        var set = ConformanceLoader.Load([good, broken, brokenXml, patient, badNdjson, notArchive, missing], FhirPackages.Cache);

        Assert.True(set.HasErrors);
        Assert.NotNull(set.Resolver.ResolveCanonical("http://example.org/sd/active-patient"));
        Assert.NotNull(set.Resolver.ResolveCanonical("http://example.org/cs/ok"));
        var byFile = set.Issues.ToLookup(i => i.Source);
        var json = Assert.Single(byFile[broken], i => i.Code == ConformanceCodes.Parse);
        Assert.Equal(3, json.Line);
        Assert.True(json.Column > 0);
        Assert.Equal(ConformanceCodes.Parse, byFile[brokenXml].First().Code);
        Assert.True(byFile[brokenXml].First().Line > 0);
        Assert.Equal(ConformanceCodes.NoConformanceResource, Assert.Single(byFile[patient]).Code);
        Assert.Equal(2, Assert.Single(byFile[badNdjson]).Line);
        Assert.Equal(ConformanceCodes.Package, Assert.Single(byFile[notArchive]).Code);
        Assert.Equal(ConformanceCodes.NotFound, Assert.Single(byFile[missing]).Code);
        Assert.All(set.Issues, i => Assert.Equal(Fhir.Serialization.IssueSeverity.Error, i.Severity));
        Assert.StartsWith(broken + ":3:", json.ToString(), StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private string WritePackage(string name, params (string Path, string Content)[] entries)
    {
        var path = Path.Combine(_dir, name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (entryPath, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryPath) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        return path;
    }
}
