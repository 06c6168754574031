using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>What an invariant can see besides its focus: %resource and %rootResource.</summary>
public sealed record InvariantContext(Resource? Resource, Resource? RootResource)
{
    /// <summary>Per-resource state an engine builds once (its own evaluation context); a frame is used by one thread.</summary>
    internal object? EngineState { get; set; }
}

/// <summary>
/// The seam between the validator and a FHIRPath engine: compile an invariant expression once, evaluate it per value.
/// A compiled invariant returns true/false, or null when it could not be evaluated for this focus.
/// </summary>
public interface IInvariantEvaluator
{
    /// <summary>Compiles <paramref name="expression"/>; returns null (and an error) when the engine cannot handle it.</summary>
    Func<object, InvariantContext, bool?>? Compile(string expression, out string? error);
}

/// <summary>An evaluator that evaluates nothing: used until a FHIRPath engine is plugged in.</summary>
public sealed class NoInvariantEvaluator : IInvariantEvaluator
{
    public static NoInvariantEvaluator Instance { get; } = new();

    public Func<object, InvariantContext, bool?>? Compile(string expression, out string? error)
    {
        error = "no FHIRPath engine configured";
        return null;
    }
}

/// <summary>
/// Decides how each core invariant is evaluated: natively (fast paths and rules FHIRPath cannot express cheaply),
/// skipped (known to be wrong in R4 4.0.1; see <see cref="KnownBroken"/>), or compiled by the FHIRPath engine.
/// </summary>
internal sealed class InvariantEngine
{
    /// <summary>R4 invariants whose published expression is wrong; evaluating them would reject valid instances.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownBroken = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Evaluated natively instead (see NativeInvariants); listed so the documentation and the report stay in one place.
        ["txt-1"] = "needs htmlChecks(), which is not a FHIRPath function: checked natively by NarrativeValidator",
        ["txt-2"] = "needs htmlChecks(): checked natively by NarrativeValidator",
        ["bdl-7"] = "quadratic in FHIRPath (every entry against every entry): checked natively with a fullUrl index",
        ["ref-1"] = "checked natively by reference validation (VAL_REFERENCE_NOT_RESOLVED); the R4 expression also rejects '#', the valid reference to the container, and runs trace() on every Reference",
        ["bdl-3"] = "checked natively in the single Bundle pass (entry.request presence by Bundle type)",
        ["bdl-4"] = "checked natively in the single Bundle pass (entry.response presence by Bundle type)",
        ["bdl-11"] = "checked natively in the single Bundle pass (document starts with a Composition)",
        ["bdl-12"] = "checked natively in the single Bundle pass (message starts with a MessageHeader)",
        ["dom-3"] = "quadratic descendants() scan per contained resource: checked natively by ContainedValidator",
        ["ele-1"] = "hot path on every element: evaluated natively (hasValue() or has children other than id)",
        ["ext-1"] = "hot path on every extension: evaluated natively (extension or value[x], not both)",
        ["dom-2"] = "once per resource: evaluated natively (contained.contained.empty())",
        ["dom-4"] = "once per resource: evaluated natively (contained.meta.versionId/lastUpdated empty)",
        ["dom-5"] = "once per resource: evaluated natively (contained.meta.security.empty())",
        ["dom-6"] = "once per resource: evaluated natively (text.div.exists(), a warning)",
    };

    /// <summary>R4 invariants evaluated with a corrected expression (the published one has a plain bug).</summary>
    public static readonly IReadOnlyDictionary<string, (string Expression, string Reason)> Corrected = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["que-7"] = ("operator = 'exists' implies (answer is boolean)",
            "tests 'answer is Boolean' (the System type), which a FHIR boolean never is; the FHIR type name is 'boolean' (fixed in R4B/R5)"),
    };

    private readonly IInvariantEvaluator _evaluator;

    public InvariantEngine(IInvariantEvaluator evaluator) => _evaluator = evaluator;

    public ElementAssertion? Compile(string key, string expression, bool isWarning, string human)
    {
        if (NativeInvariants.TryGet(key) is { } native)
        {
            return new InvariantAssertion(key, human, isWarning, native);
        }

        if (KnownBroken.ContainsKey(key))
        {
            return null;
        }

        if (Corrected.TryGetValue(key, out var fix))
        {
            expression = fix.Expression;
        }

        var compiled = _evaluator.Compile(expression, out _);
        return compiled is null ? null : new InvariantAssertion(key, human, isWarning, compiled);
    }
}

internal sealed class InvariantAssertion(string key, string human, bool isWarning, Func<object, InvariantContext, bool?> check) : ElementAssertion
{
    public string Key => key;

    public override void Validate(object value, in Scope scope)
    {
        bool? ok;
        try
        {
            ok = check(value, scope.Run.InvariantContext);
        }
#pragma warning disable CA1031 // A faulty expression must not stop the validation of everything else.
        catch (Exception e)
#pragma warning restore CA1031
        {
            scope.Report(IssueSeverity.Warning, IssueTypes.Processing, MessageIds.InvariantError, $"Constraint {key} could not be evaluated: {e.Message}");
            return;
        }

        if (ok == false)
        {
            scope.Report(isWarning ? IssueSeverity.Warning : IssueSeverity.Error, IssueTypes.Invariant, MessageIds.Invariant, $"Constraint failed: {key}: '{human}'");
        }
    }
}

/// <summary>Native implementations of hot or unexpressible core invariants.</summary>
internal static class NativeInvariants
{
    public static Func<object, InvariantContext, bool?>? TryGet(string key) => key switch
    {
        "ele-1" => static (v, _) => v is not Base b || b is PrimitiveType { HasValue: true } || HasChildOtherThanId(b),
        "ext-1" => static (v, _) => v is not Extension e || Count(e, "extension") == 0 || e.Value is null,

        // The DomainResource invariants run once per resource, on every resource: native versions of their one-line expressions.
        "dom-2" => static (v, _) => v is not DomainResource r || Count(r, "contained") == 0 || r.Contained.All(c => Count(c, "contained") == 0),
        "dom-4" => static (v, _) => v is not DomainResource r || Count(r, "contained") == 0 || r.Contained.All(c => c.Meta?.VersionId is null && c.Meta?.LastUpdated is null),
        "dom-5" => static (v, _) => v is not DomainResource r || Count(r, "contained") == 0 || r.Contained.All(c => c.Meta is null || Count(c.Meta, "security") == 0),
        "dom-6" => static (v, _) => v is not DomainResource r || r.Text?.Div is not null,
        _ => null,
    };

    /// <summary>Repetitions of a list element without materializing an empty list (model list getters create one).</summary>
    private static int Count(Base b, string element) =>
        b.TypeInfo.GetElement(element) is { } e && b.GetValue(e) is System.Collections.IList l ? l.Count : 0;

    /// <summary>Any present child other than id, read from the slots (ele-1 runs on every element: no iterator, no list created).</summary>
    private static bool HasChildOtherThanId(Base b)
    {
        var elements = b.TypeInfo.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i].Name == "id")
            {
                continue;
            }

            switch (b.GetValue(elements[i]))
            {
                case null:
                    break;
                case System.Collections.IList list:
                    for (var j = 0; j < list.Count; j++)
                    {
                        if (list[j] is not null)
                        {
                            return true;
                        }
                    }

                    break;
                default:
                    return true;
            }
        }

        return false;
    }
}
