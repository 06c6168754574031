using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>Every official R4 example instance validates against its base definition without errors.</summary>
public sealed class R4ExamplesValidationTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> ConformanceTypes = new(StringComparer.Ordinal)
    {
        "StructureDefinition", "ValueSet", "CodeSystem", "SearchParameter", "OperationDefinition", "CapabilityStatement",
        "CompartmentDefinition", "ConceptMap", "NamingSystem", "ImplementationGuide", "StructureMap", "GraphDefinition",
        "MessageDefinition", "TerminologyCapabilities",
    };

    /// <summary>The example instances: files of the examples package that the core package does not have, minus conformance resources.</summary>
    public static IReadOnlyList<string> ExampleInstances()
    {
        var core = new HashSet<string>(Directory.GetFiles(FhirPackages.CoreFolder, "*.json").Select(Path.GetFileName)!, StringComparer.Ordinal);
        return FhirPackages.ExampleFiles()
            .Where(f => !core.Contains(Path.GetFileName(f)))
            .Where(f => !ConformanceTypes.Contains(Path.GetFileName(f).Split('-')[0]))
            .ToList();
    }

    [Fact]
    public void All_R4_example_instances_validate_without_errors()
    {
        var validator = SharedValidator.Instance;
        var files = ExampleInstances();
        var failures = new ConcurrentBag<(string File, IReadOnlyList<ValidationIssue> Errors)>();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, file =>
        {
            var result = validator.ValidateJson(File.ReadAllBytes(file));
            if (!result.IsValid)
            {
                failures.Add((Path.GetFileName(file), result.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList()));
            }
        });

        output.WriteLine($"R4 examples validation: {files.Count - failures.Count} valid, {failures.Count} with errors (of {files.Count} example instances; every one with errors is listed in KnownInvalidExamples with the rule it breaks)");
        foreach (var (file, errors) in failures.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            foreach (var e in errors.Take(5))
            {
                output.WriteLine($"  {file}: {e}");
            }
        }

        Assert.Empty(failures.Select(f => f.File).Except(KnownInvalidExamples.Files.Keys));
    }
}

/// <summary>One validator over the core packages for the whole test run (compiling profiles is the expensive part).</summary>
public static class SharedValidator
{
    private static readonly Lazy<FhirValidator> Lazy = new(() => new FhirValidator(CanonicalResolver.CreateDefault(FhirPackages.Cache)));

    public static FhirValidator Instance => Lazy.Value;
}

/// <summary>Examples that are invalid per the specification, with the rule they break.</summary>
public static class KnownInvalidExamples
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ActivityDefinition-blood-tubes-supply.json"] = "txt-2: the narrative div holds only whitespace",
        ["ActivityDefinition-heart-valve-replacement.json"] = "txt-2: the narrative div holds only whitespace",
        ["EventDefinition-example.json"] = "txt-2: the narrative div holds only whitespace",
        ["Questionnaire-zika-virus-exposure-assessment.json"] = "txt-2: the narrative div holds only whitespace",
        ["Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json"] = "Bundle.entry.fullUrl: fullUrl .../Patient/pat12 disagrees with the resource id pat2 (the fullUrl SHALL agree with Resource.id)",
        ["Bundle-3a0707d3-549e-4467-b8b8-5a2ab3800efe.json"] = "Bundle.entry.fullUrl: fullUrl .../Patient/pat12 disagrees with the resource id pat2",
        ["Bundle-lri-example.json"] = "Bundle.entry.fullUrl: fullUrls .../Observation/lri-gramstain1 etc. disagree with the resource ids (gramstain1...)",
        ["Bundle-dataelements.json"] = "bdl-7: several fullUrls (de-Quantity.value, ...) appear twice without distinct meta.versionId",
        ["Bundle-valueset-expansions.json"] = "extension context: 'translation' (contexts string, code, markdown) is used on ValueSet.expansion.contains",
        ["Bundle-valuesets.json"] = "extension context: 'valueset-concept-comments' (context ValueSet.compose.include.concept only) is used on CodeSystem.concept",
        ["DeviceMetric-example.json"] = "DeviceMetric.parent is Reference(Device) but points to DeviceDefinition/dc102",
        ["DeviceUseStatement-example.json"] = "DeviceUseStatement.reasonReference does not allow Procedure (Condition | Observation | DiagnosticReport | DocumentReference | Media)",
        ["MedicationRequest-medrx0301.json"] = "MedicationRequest.dispenseRequest.performer is Reference(Organization) but points to a Practitioner",
        ["Observation-clinical-gender.json"] = "Observation.performer does not allow Encounter",
        ["Bundle-father.json"] = "Quantity with system UCUM but code tbl is not a UCUM unit",
        ["Claim-760151.json"] = "Quantity with system UCUM but code TAB is not a UCUM unit",
        ["Claim-760152.json"] = "Quantity with system UCUM but code TAB is not a UCUM unit",
        ["MedicationDispense-meddisp0309.json"] = "Quantity with system UCUM but code drop is not a UCUM unit",
        ["MedicationDispense-meddisp0313.json"] = "Quantity with system UCUM but code mEq is not a UCUM unit",
        ["MedicationDispense-meddisp0318.json"] = "Quantity with system UCUM but code mcg is not a UCUM unit",
        ["MedicationDispense-meddisp0324.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationDispense-meddisp0327.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationDispense-meddisp0328.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationDispense-meddisp0329.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationRequest-medrx0304.json"] = "Quantity with system UCUM but code drop is not a UCUM unit",
        ["MedicationRequest-medrx0314.json"] = "Quantity with system UCUM but code mcg is not a UCUM unit",
        ["MedicationRequest-medrx0319.json"] = "Quantity with system UCUM but code ml/hr is not a UCUM unit",
        ["MedicationRequest-medrx0322.json"] = "Quantity with system UCUM but code mEq is not a UCUM unit",
        ["MedicationRequest-medrx0325.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationRequest-medrx0326.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationRequest-medrx0328.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationRequest-medrx0329.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationRequest-medrx0334.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["MedicationRequest-medrx0335.json"] = "Quantity with system UCUM but code ea is not a UCUM unit",
        ["VisionPrescription-33124.json"] = "Quantity with system UCUM but code month is not a UCUM unit",
        ["Observation-example-genetics-brcapat.json"] = "uses the US Core extension us-core-ethnicity, which R4 core does not define: the reference reports 'The extension ... could not be found so is not allowed here' (error) unless US Core is loaded",
        ["Questionnaire-qs1.json"] = "Questionnaire.item.linkId is 1..1 but nested items have none",
    };
}
