using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>Our implementation guide's conformance resources (profiles/package, embedded at build time).</summary>
public static class IntrathecalIg
{
    private static readonly Lazy<IReadOnlyList<Resource>> Resources = new(Load);

    /// <summary>The IG's StructureDefinitions, ValueSets and CodeSystems (not its examples).</summary>
    public static IReadOnlyList<Resource> ConformanceResources => Resources.Value;

    /// <summary>A validator that knows R4 core, HL7 terminology and this IG; resources are checked against their meta.profile.</summary>
    public static FhirValidator CreateValidator(PackageCache? cache = null) =>
        new(CanonicalResolver.CreateDefault(cache ?? new PackageCache(), ConformanceResources));

    private static List<Resource> Load()
    {
        var assembly = typeof(IntrathecalIg).Assembly;
        var resources = new List<Resource>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ig/", StringComparison.Ordinal) && n is not ("ig/package.json" or "ig/.index.json")).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            var result = FhirJsonParser.Parse(ms.ToArray());
            resources.Add(result.Value ?? throw new InvalidDataException($"Embedded IG resource {name} does not parse: {string.Join("; ", result.Issues)}"));
        }

        return resources;
    }
}
