using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Validation;
using Validator = Firely.Fhir.Validation.Validator;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Hl7.Fhir.Utility;
using F = Hl7.Fhir.Model;
using OurJson = FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Firely;

/// <summary>
/// Firely's validator (<c>Firely.Fhir.Validation.R4</c>) behind our <see cref="IValidationEngine"/> seam, fed with the
/// very conformance resources our validator uses (our resolver: core, terminology, the IG) converted to Firely POCOs.
/// Input is read by our parsers (the same located parse issues as ours), handed to Firely, and Firely's
/// OperationOutcome comes back as our issues: message id <c>FIRELY_&lt;Firely's issue number&gt;</c>, its issue type,
/// FHIRPath location and, where that location resolves in the instance, line/column.
/// </summary>
public sealed class FirelyValidationEngine : IValidationEngine
{
    private readonly Validator _validator;

    public FirelyValidationEngine(ICanonicalResolver conformance)
    {
        var source = new CachedResolver(new OneAtATime(new SnapshotSource(new ConformanceSource(conformance))));
        _validator = new Validator(source, new LocalTerminologyService(source));
    }

    public ValidationResult ValidateJson(ReadOnlySpan<byte> utf8Json, IEnumerable<string>? profiles = null)
    {
        var positions = new PositionMap();
        return Validate(OurJson.FhirJsonParser.Parse(utf8Json, ParserOptions.Strict, positions), profiles, positions);
    }

    public ValidationResult ValidateXml(ReadOnlySpan<byte> xml, IEnumerable<string>? profiles = null)
    {
        var positions = new PositionMap();
        return Validate(FhirXmlParser.Parse(xml, ParserOptions.Strict, positions), profiles, positions);
    }

    /// <summary>Firely's own outcome for a Firely POCO (no conversion, no positions): the peer measured in the benchmarks.</summary>
    public F.OperationOutcome ValidateFirely(F.Resource resource, string? profile = null) => _validator.Validate(resource, profile);

    /// <summary>Validates what our parser read (its issues kept first); <paramref name="positions"/> adds line/column.</summary>
    public ValidationResult Validate(ParseResult<Fhir.Model.Resource> parsed, IEnumerable<string>? profiles = null, PositionMap? positions = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var issues = parsed.Issues.Select(ValidationResult.FromParseIssue).ToList();
        if (parsed.Value is not { } resource)
        {
            return new ValidationResult(issues);
        }

        var firely = resource.ToFirely();
        var requested = profiles?.ToList() ?? [];
        foreach (var profile in requested.Count == 0 ? [null] : requested.Cast<string?>())
        {
            var outcome = _validator.Validate(firely, profile);
            issues.AddRange(outcome.Issue.Select(i => Convert(i, resource, positions)));
        }

        return new ValidationResult(issues);
    }

    private static ValidationIssue Convert(F.OperationOutcome.IssueComponent issue, Fhir.Model.Resource resource, PositionMap? positions)
    {
        var expression = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? "";
        var (line, column) = positions is null ? (0L, 0L) : Locate(resource, expression, positions);
        return new ValidationIssue(
            issue.Severity switch
            {
                F.OperationOutcome.IssueSeverity.Fatal => IssueSeverity.Fatal,
                F.OperationOutcome.IssueSeverity.Error => IssueSeverity.Error,
                F.OperationOutcome.IssueSeverity.Warning => IssueSeverity.Warning,
                _ => IssueSeverity.Information,
            },
            issue.Code?.GetLiteral() ?? IssueTypes.Processing,
            "FIRELY_" + (issue.Details?.Coding.FirstOrDefault()?.Code ?? "ISSUE"),
            issue.Details?.Text ?? issue.Diagnostics ?? "",
            expression)
        { Line = line, Column = column };
    }

    /// <summary>Line/column of the node Firely's FHIRPath location names in our instance, (0, 0) when it does not resolve.</summary>
    private static (long Line, long Column) Locate(Fhir.Model.Resource resource, string expression, PositionMap positions)
    {
        if (expression.Length == 0)
        {
            return (0, 0);
        }

        try
        {
            return FhirPathEvaluator.Evaluate(resource, expression) is [var node] ? positions.Find(node) : (0, 0);
        }
        catch (FhirPathException)
        {
            return (0, 0);
        }
    }

    /// <summary>
    /// Firely's snapshot generator is not thread-safe ("Invalid snapshot generator state (OnStartRecursion)" under
    /// concurrent validations): resolution through it is serialized. The source below it is synchronous, so waiting
    /// on it under the lock is safe; validations themselves still run in parallel once their profiles are loaded.
    /// </summary>
    private sealed class OneAtATime(IAsyncResourceResolver inner) : IAsyncResourceResolver
    {
        private readonly Lock _gate = new();

        public Task<F.Resource?> ResolveByCanonicalUriAsync(string uri)
        {
            lock (_gate)
            {
#pragma warning disable CS0618 // the Try* variant only adds an error kind SnapshotSource does not give us either
                return Task.FromResult(inner.ResolveByCanonicalUriAsync(uri).GetAwaiter().GetResult());
#pragma warning restore CS0618
            }
        }

        public Task<F.Resource?> ResolveByUriAsync(string uri)
        {
            lock (_gate)
            {
#pragma warning disable CS0618 // the Try* variant only adds an error kind SnapshotSource does not give us either
                return Task.FromResult(inner.ResolveByUriAsync(uri).GetAwaiter().GetResult());
#pragma warning restore CS0618
            }
        }
    }

    /// <summary>Our resolver as Firely's: canonical resources converted once and cached.</summary>
    private sealed class ConformanceSource(ICanonicalResolver conformance) : IAsyncResourceResolver
    {
        private readonly ConcurrentDictionary<string, F.Resource?> _converted = new(StringComparer.Ordinal);

        public Task<F.Resource?> ResolveByCanonicalUriAsync(string uri) =>
            Task.FromResult(_converted.GetOrAdd(uri, u => conformance.ResolveCanonical(u)?.ToFirely()));

        public Task<F.Resource?> ResolveByUriAsync(string uri) => ResolveByCanonicalUriAsync(uri);
    }
}
