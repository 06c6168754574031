using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Snapshot;
using FhirIntrathecal.Fhir.Terminology;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>What a <see cref="FhirValidator"/> uses besides its definitions.</summary>
public sealed record FhirValidatorSettings
{
    /// <summary>The FHIRPath engine for invariants; without one only the natively implemented invariants are checked.</summary>
    public IInvariantEvaluator? Invariants { get; init; }

    /// <summary>A terminology server asked when local content cannot decide (<c>--tx</c>).</summary>
    public ITerminologyService? RemoteTerminology { get; init; }

    /// <summary>
    /// Unknown extensions are warnings instead of errors (the reference validator's <c>-allow-any-extensions</c>); an
    /// unknown modifier extension stays an error.
    /// </summary>
    public bool AllowUnknownExtensions { get; init; }

    /// <summary>Validate against the profiles an instance declares in meta.profile (unknown ones give a warning).</summary>
    public bool ValidateDeclaredProfiles { get; init; } = true;

    /// <summary>
    /// How constraints marked best practice (<c>elementdefinition-bestpractice</c>, e.g. dom-6) are reported: as warnings
    /// (the reference validator's default), as errors, or not at all (<c>--best-practice</c>).
    /// </summary>
    public BestPracticeLevel BestPractice { get; init; } = BestPracticeLevel.Warning;

    /// <summary>
    /// The reference validator's <c>-security-checks</c>: a string value that looks like it embeds HTML tags is an error
    /// (without it, information).
    /// </summary>
    public bool SecurityChecks { get; init; }
}

/// <summary>Reporting level of best-practice constraints.</summary>
public enum BestPracticeLevel
{
    Warning,
    Error,
    Ignore,
}

/// <summary>
/// Validates FHIR R4 instances against StructureDefinitions. Each profile's snapshot is compiled once into an
/// immutable tree of assertions and cached by canonical URL; one validator serves any number of concurrent validations.
/// </summary>
public sealed class FhirValidator : IValidationEngine
{
    public const string CoreProfilePrefix = "http://hl7.org/fhir/StructureDefinition/";

    private readonly ConcurrentDictionary<string, Lazy<CompiledProfile?>> _profiles = new(StringComparer.Ordinal);
    private readonly AssertionFactory _assertions;

    public FhirValidator(ICanonicalResolver resolver, FhirValidatorSettings? settings = null)
    {
        Resolver = resolver;
        Settings = settings ?? new FhirValidatorSettings();
        Terminology = new LocalTerminologyService(resolver, Settings.RemoteTerminology);
        Invariants = new InvariantEngine(Settings.Invariants ?? DefaultInvariantEvaluator.Create(this));
        _assertions = new AssertionFactory(this);
        Snapshots = new SnapshotGenerator(resolver);
    }

    public ICanonicalResolver Resolver { get; }

    public FhirValidatorSettings Settings { get; }

    internal LocalTerminologyService Terminology { get; }

    internal InvariantEngine Invariants { get; }

    internal SnapshotGenerator Snapshots { get; }

    /// <summary>Validates a resource against its base definition, its declared profiles and <paramref name="profiles"/>.</summary>
    public ValidationResult Validate(Resource resource, IEnumerable<string>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var run = new ValidationRun(this, null);
        Guarded(run, () => run.ValidateRoot(resource, profiles ?? []));
        return new ValidationResult(run.Issues());
    }

    /// <summary>Parses FHIR JSON and validates it; parse issues come first, validation issues carry line/column.</summary>
    public ValidationResult ValidateJson(ReadOnlySpan<byte> utf8Json, IEnumerable<string>? profiles = null)
    {
        var positions = new PositionMap();
        var parsed = FhirJsonParser.Parse(utf8Json, ParserOptions.Strict, positions);
        return Validate(parsed, profiles, positions);
    }

    /// <summary>Parses FHIR XML (encoded bytes) and validates it; validation issues carry the line/column of the element's start tag.</summary>
    public ValidationResult ValidateXml(ReadOnlySpan<byte> xml, IEnumerable<string>? profiles = null)
    {
        var positions = new PositionMap();
        var parsed = FhirXmlParser.Parse(xml, ParserOptions.Strict, positions);
        return Validate(parsed, profiles, positions);
    }

    /// <summary>Validates what a parser produced, keeping its issues; <paramref name="positions"/> adds line/column to issues.</summary>
    public ValidationResult Validate(ParseResult<Resource> parsed, IEnumerable<string>? profiles = null, PositionMap? positions = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var issues = parsed.Issues.Select(ValidationResult.FromParseIssue).ToList();
        if (parsed.Value is { } resource)
        {
            var run = new ValidationRun(this, positions);
            Guarded(run, () => run.ValidateRoot(resource, profiles ?? []));
            issues.AddRange(run.Issues());
        }

        return new ValidationResult(issues);
    }

    /// <summary>
    /// The compiled profile for a canonical URL, compiled on first use (a StructureDefinition without snapshot gets one
    /// generated); null when unknown or not a StructureDefinition.
    /// </summary>
    internal CompiledProfile? GetProfile(string canonical) =>
        _profiles.GetOrAdd(canonical, url => new Lazy<CompiledProfile?>(() => CompileNew(url), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The base profile of a core type (<c>Patient</c>, <c>HumanName</c>, <c>string</c>).</summary>
    internal CompiledProfile? GetTypeProfile(string typeName) => GetProfile(CoreProfilePrefix + typeName);

    /// <summary>The base profile of a model type, cached by type identity: looked up for every element value, so no URL is built.</summary>
    internal CompiledProfile? GetTypeProfile(FhirTypeInfo type) =>
        _typeProfiles.GetOrAdd(type, static (t, self) => self.GetTypeProfile(t.Name), this);

    private readonly ConcurrentDictionary<FhirTypeInfo, CompiledProfile?> _typeProfiles = new(ReferenceEqualityComparer.Instance);

    private readonly ConcurrentDictionary<string, FhirPath.CompiledExpression?> _expressions = new(StringComparer.Ordinal);

    /// <summary>A FHIRPath expression from a definition (extension contexts, context invariants), compiled once; null when it does not compile.</summary>
    internal FhirPath.CompiledExpression? CompileFhirPath(string expression) => _expressions.GetOrAdd(expression, static e =>
    {
        try
        {
            return FhirPath.FhirPathCompiler.Compile(e);
        }
        catch (FhirPath.FhirPathException)
        {
            return null;
        }
    });

    /// <summary>True when the canonical names a StructureDefinition we can load (compiled or not).</summary>
    public bool IsKnownProfile(string canonical) => GetProfile(canonical) is not null;

    /// <summary>
    /// A defect in a definition (or in us) must not take down a batch: it becomes a fatal issue on that instance,
    /// with what was found before it kept.
    /// </summary>
    private static void Guarded(ValidationRun run, Action validate)
    {
        try
        {
            validate();
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException or OperationCanceledException))
        {
            run.Report(IssueSeverity.Fatal, IssueTypes.Exception, MessageIds.InternalError, $"Validation stopped: {e.GetType().Name}: {e.Message}", "", null, null);
        }
    }

    private CompiledProfile? CompileNew(string url)
    {
        if (Resolver.ResolveCanonical(url) is not StructureDefinition sd)
        {
            return null;
        }

        if (sd.Snapshot is null || sd.Snapshot.Element.Count == 0)
        {
            var generated = Snapshots.Generate(sd);
            if (generated.Snapshot is null || generated.Snapshot.Element.Count == 0)
            {
                return null;
            }

            sd = generated;
        }

        return ProfileCompiler.Compile(sd, _assertions);
    }
}
