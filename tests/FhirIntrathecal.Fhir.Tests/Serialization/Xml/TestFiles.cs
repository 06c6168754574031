namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

/// <summary>The copied R4 example pairs under TestData/r4-examples (copied to the test output).</summary>
internal static class TestFiles
{
    public static string ExamplesDirectory => Path.Combine(AppContext.BaseDirectory, "TestData", "r4-examples");

    public static IEnumerable<object[]> XmlExamples() =>
        Directory.GetFiles(ExamplesDirectory, "*.xml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    public static IEnumerable<object[]> JsonXmlPairs() =>
        Directory.GetFiles(ExamplesDirectory, "*.json").Order(StringComparer.Ordinal)
            .Where(f => File.Exists(Path.ChangeExtension(f, ".xml")))
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    public static string Read(string name) => File.ReadAllText(Path.Combine(ExamplesDirectory, name));
}
