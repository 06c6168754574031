using System.Text.RegularExpressions;
using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>A parsed FHIRPath expression, ready to evaluate any number of times from any thread.</summary>
public sealed class CompiledExpression
{
    private readonly Node _root;

    internal CompiledExpression(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression text.</summary>
    public string Text { get; }

    internal Node Root => _root;

    /// <summary>
    /// Evaluates against a focus item (usually a resource); the result items are model elements (<see cref="Base"/>)
    /// or System values (bool, long, decimal, string, <see cref="FhirPathDate"/>, <see cref="FhirPathDateTime"/>,
    /// <see cref="FhirPathTime"/>, <see cref="FhirPathQuantity"/>).
    /// </summary>
    /// <exception cref="FhirPathEvaluationException">A runtime error, located in the expression.</exception>
    public IReadOnlyList<object> Evaluate(object? focus, EvaluationContext? context = null) =>
        Evaluate(Values.ToCollection(focus), context);

    /// <summary>Evaluates against a focus collection.</summary>
    public IReadOnlyList<object> Evaluate(IReadOnlyList<object> focus, EvaluationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(focus);
        var scope = Scope.Create(context ?? new EvaluationContext(), Text, focus);
        try
        {
            return _root.Eval(scope, focus);
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new FhirPathEvaluationException("regular expression match timed out", Text, -1, e);
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new FhirPathEvaluationException("expression too deeply nested to evaluate", Text, -1, e);
        }
    }

    /// <summary>
    /// Evaluates on one focus item when the result is sure to be at most one item: a path of elements that have one
    /// value here and of <c>first()</c>, <c>where()</c> on an equality, <c>ofType()</c>, <c>extension(url)</c>,
    /// <c>getResourceKey()</c> and <c>getReferenceKey()</c> (a column's usual path), with no scope and no collection built. True with the item that
    /// <see cref="Evaluate(IReadOnlyList{object}, EvaluationContext?)"/> on the one-item collection <c>[focus]</c> would
    /// give alone (null when it gives none); false when only that can tell (several items, an error to report, variables,
    /// any other operator or function). Reads no context: the expressions it answers read none.
    /// </summary>
    public bool TryEvaluateSingle(object focus, out object? item)
    {
        ArgumentNullException.ThrowIfNull(focus);
        try
        {
            return _root.TrySingle(focus, out item);
        }
        catch (Exception e) when (e is FhirPathRuntimeError or ArithmeticException or ArgumentException or FormatException or InvalidCastException or InvalidOperationException)
        {
            // What Node.Eval reports as an evaluation error: the full evaluation reports it, located.
            item = null;
            return false;
        }
    }

    /// <summary>
    /// Evaluates as a boolean the way invariants are checked: empty → null, a single Boolean → its value, any other single
    /// item → true; several items are an error.
    /// </summary>
    public bool? EvaluateBoolean(object? focus, EvaluationContext? context = null) =>
        Values.SingletonBoolean(Evaluate(focus, context), "the expression result");

    /// <summary>True only when the result is the single Boolean true (or a single non-Boolean item): invariant semantics where empty is "not true".</summary>
    public bool IsTrue(object? focus, EvaluationContext? context = null) => EvaluateBoolean(focus, context) == true;

    /// <summary>Existence predicate: true when the result is a non-empty collection that is not the single Boolean false.</summary>
    public bool Predicate(object? focus, EvaluationContext? context = null)
    {
        var r = Evaluate(focus, context);
        return r.Count > 0 && !(r.Count == 1 && Values.ToSystem(r[0]) is false);
    }

    /// <summary>
    /// This expression with <paramref name="constants"/> bound: each <c>%name</c> among them is replaced by its value and
    /// the operators that become constant are computed once (<c>%ext + 'needle-gauge'</c> is one string). Evaluating the
    /// result gives what evaluating this expression with those variables in the context gives, errors included (same
    /// message and position); the text is unchanged. Bound names no longer appear in <see cref="VariableReferences"/>.
    /// The built-in variables (<c>%context</c>, <c>%resource</c>, <c>%rootResource</c>, <c>%ucum</c>, <c>%sct</c>,
    /// <c>%loinc</c>) are not bound. Returns this instance when nothing was bound.
    /// </summary>
    /// <param name="constants">Values as for <see cref="EvaluationContext.Variables"/>: a single item or an enumerable of items.</param>
    public CompiledExpression WithConstants(IReadOnlyDictionary<string, object> constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        var root = constants.Count == 0 ? _root : ConstantFolding.Bind(_root, constants, Text);
        return ReferenceEquals(root, _root) ? this : new CompiledExpression(Text, root);
    }

    /// <summary>The names of the <c>%variables</c> the expression refers to, with their 0-based positions (static check of user variables).</summary>
    public IReadOnlyList<(string Name, int Position)> VariableReferences()
    {
        var found = new List<(string, int)>();
        var pending = new Stack<Node>();
        pending.Push(_root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is VariableNode v)
            {
                found.Add((v.Name, v.Position));
            }

            foreach (var child in node.Children)
            {
                pending.Push(child);
            }
        }

        return found;
    }

    public override string ToString() => Text;
}

/// <summary>Compiles FHIRPath text, caching compiled expressions by text (thread-safe, bounded).</summary>
public static class FhirPathCompiler
{
    /// <summary>The cache stops growing past this many distinct expressions (untrusted input must not exhaust memory).</summary>
    public const int MaxCacheEntries = 10_000;

    private static readonly ConcurrentDictionary<string, CompiledExpression> Cache = new(StringComparer.Ordinal);

    // ConcurrentDictionary.Count takes every lock; track the size separately.
    private static int s_cacheSize;

    /// <summary>Parses (or fetches from the cache) an expression.</summary>
    /// <exception cref="FhirPathSyntaxException">The text is not valid FHIRPath; <see cref="FhirPathException.Position"/> locates the error.</exception>
    public static CompiledExpression Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (Cache.TryGetValue(expression, out var hit))
        {
            return hit;
        }

        var compiled = CompileUncached(expression);
        if (Volatile.Read(ref s_cacheSize) < MaxCacheEntries && Cache.TryAdd(expression, compiled))
        {
            Interlocked.Increment(ref s_cacheSize);
        }

        return compiled;
    }

    /// <summary>Parses without touching the cache (benchmarks, one-off expressions).</summary>
    public static CompiledExpression CompileUncached(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            return new CompiledExpression(expression, Parser.Parse(expression));
        }
        catch (InsufficientExecutionStackException)
        {
            throw new FhirPathSyntaxException("expression too deeply nested", expression, 0);
        }
    }

    /// <summary>Parses and, when <paramref name="rootType"/> is given, checks element names statically (strict mode).</summary>
    /// <exception cref="FhirPathSemanticException">A name the type does not define, or a path that cannot apply to it.</exception>
    public static CompiledExpression CompileStrict(string expression, string rootType)
    {
        var compiled = Compile(expression);
        StaticChecker.Check(compiled, rootType);
        return compiled;
    }
}

/// <summary>Convenience entry points over <see cref="FhirPathCompiler"/> (not named FhirPath: a type named like its namespace cannot be used unqualified inside FhirIntrathecal.Fhir.*).</summary>
public static class FhirPathEvaluator
{
    /// <summary>Evaluates <paramref name="expression"/> on <paramref name="focus"/>.</summary>
    public static IReadOnlyList<object> Evaluate(Base? focus, string expression, EvaluationContext? context = null) =>
        FhirPathCompiler.Compile(expression).Evaluate(focus, context);

    /// <summary>Invariant check: true only when the expression yields true (or a single non-Boolean item).</summary>
    public static bool IsTrue(Base? focus, string expression, EvaluationContext? context = null) =>
        FhirPathCompiler.Compile(expression).IsTrue(focus, context);

    /// <summary>Existence semantics: non-empty and not the single Boolean false.</summary>
    public static bool Predicate(Base? focus, string expression, EvaluationContext? context = null) =>
        FhirPathCompiler.Compile(expression).Predicate(focus, context);

    /// <summary>
    /// The System value of a result item: FHIR primitives become bool/long/decimal/string/<see cref="FhirPathTemporal"/>,
    /// FHIR Quantity becomes <see cref="FhirPathQuantity"/>, other elements are returned unchanged; null for a primitive without value.
    /// </summary>
    public static object? ToSystemValue(object item) => Values.ToSystem(item);

    /// <summary>The FHIRPath string form of a System value (as toString() gives it), null for elements.</summary>
    public static string? ToFhirPathString(object? value) => Conversions.ToFhirPathString(value is null ? null : Values.ToSystem(value));

    /// <summary>Evaluates and converts a single System result to its FHIRPath string form (null when empty).</summary>
    public static string? EvaluateToString(Base? focus, string expression, EvaluationContext? context = null)
    {
        var result = Evaluate(focus, expression, context);
        return result.Count == 0 ? null : Conversions.ToFhirPathString(Values.Singleton(result, "the result"));
    }
}
