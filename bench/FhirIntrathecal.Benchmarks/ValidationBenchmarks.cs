using BenchmarkDotNet.Attributes;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// Warm validation throughput on typical clinical resources (the R4 examples of the common clinical types, already
/// parsed) and a 10,000-entry transaction with internal urn:uuid references. Needs the FHIR packages restored.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private static readonly string[] ClinicalTypes =
        ["Patient", "Observation", "Condition", "Encounter", "MedicationRequest", "Procedure", "AllergyIntolerance", "Immunization", "Practitioner", "DiagnosticReport"];

    private FhirValidator _validator = null!;
    private Resource[] _resources = [];
    private Bundle _transaction = null!;

    [GlobalSetup]
    public void Setup()
    {
        _validator = new FhirValidator(CanonicalResolver.CreateDefault());
        var examples = new PackageCache().RequirePackageFolder(PackageManifest.R4Examples);
        _resources = ClinicalTypes
            .SelectMany(t => Directory.GetFiles(examples, t + "-*.json").Order(StringComparer.Ordinal))
            .Select(f => FhirJsonParser.Parse(File.ReadAllBytes(f), ParserOptions.Lenient).Value)
            .OfType<Resource>()
            .Where(r => ClinicalTypes.Contains(r.TypeInfo.Name))
            .ToArray();
        _transaction = ValidationWorkloads.Transaction(10_000);
        foreach (var r in _resources)
        {
            _validator.Validate(r); // compile every profile the workload touches
        }

        _validator.Validate(ValidationWorkloads.Transaction(10));
    }

    /// <summary>Resources per operation: divide the mean by this to get the time per resource.</summary>
    public int ResourceCount => _resources.Length;

    [Benchmark(Description = "Validate typical clinical resources (per batch)")]
    public int ValidateClinicalResources()
    {
        var errors = 0;
        foreach (var r in _resources)
        {
            errors += _validator.Validate(r).ErrorCount;
        }

        return errors;
    }

    [Benchmark(Description = "Validate a 10,000-entry transaction Bundle")]
    public int ValidateTransaction10k() => _validator.Validate(_transaction).ErrorCount;
}
