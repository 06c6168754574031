using BenchmarkDotNet.Attributes;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Firely;
using F = Hl7.Fhir.Model;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// Warm validation throughput on typical clinical resources (the R4 examples of the common clinical types, already
/// parsed) and a 10,000-entry transaction with internal urn:uuid references. Needs the FHIR packages restored.
/// Firely's validator (<c>Firely.Fhir.Validation.R4</c>) validates the same resources (as its POCOs) with the same
/// conformance resources (our resolver, converted); warm = profiles already compiled, cold = a new validator and
/// resolver validating its first Patient. The Ratio column is against ours. Firely does not run the 10,000-entry
/// transaction: at its warm per-resource cost that is minutes per operation.
/// </summary>
[MemoryDiagnoser]
[BenchmarkDotNet.Attributes.GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[BenchJob(warmupCount: 1, iterationCount: 5)]
public class ValidationBenchmarks
{
    private static readonly string[] ClinicalTypes =
        ["Patient", "Observation", "Condition", "Encounter", "MedicationRequest", "Procedure", "AllergyIntolerance", "Immunization", "Practitioner", "DiagnosticReport"];

    private FhirValidator _validator = null!;
    private Resource[] _resources = [];
    private Bundle _transaction = null!;
    private FirelyValidationEngine _firely = null!;
    private F.Resource[] _firelyResources = [];
    private Resource _patient = null!;
    private F.Resource _firelyPatient = null!;

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

        _firely = new FirelyValidationEngine(_validator.Resolver);
        _firelyResources = _resources.Select(r => r.ToFirely()).ToArray();
        foreach (var r in _firelyResources)
        {
            _firely.ValidateFirely(r);
        }

        _patient = _resources.First(r => r is Patient);
        _firelyPatient = _patient.ToFirely();
    }

    /// <summary>Resources per operation: divide the mean by this to get the time per resource.</summary>
    public int ResourceCount => _resources.Length;

    [Benchmark(Baseline = true), BenchmarkCategory("Validate warm")]
    public int ValidateClinicalResources()
    {
        var errors = 0;
        foreach (var r in _resources)
        {
            errors += _validator.Validate(r).ErrorCount;
        }

        return errors;
    }

    [Benchmark, BenchmarkCategory("Validate warm")]
    public int FirelyValidateClinicalResources()
    {
        var errors = 0;
        foreach (var r in _firelyResources)
        {
            errors += _firely.ValidateFirely(r).Issue.Count(i => i.Severity is F.OperationOutcome.IssueSeverity.Error or F.OperationOutcome.IssueSeverity.Fatal);
        }

        return errors;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Validate cold")]
    public int ValidateFirstPatientCold() => new FhirValidator(CanonicalResolver.CreateDefault()).Validate(_patient).ErrorCount;

    [Benchmark, BenchmarkCategory("Validate cold")]
    public int FirelyValidateFirstPatientCold() => new FirelyValidationEngine(CanonicalResolver.CreateDefault()).ValidateFirely(_firelyPatient).Issue.Count;

    [Benchmark(Description = "Validate a 10,000-entry transaction Bundle"), BenchmarkCategory("Validate 10k transaction")]
    public int ValidateTransaction10k() => _validator.Validate(_transaction).ErrorCount;
}
