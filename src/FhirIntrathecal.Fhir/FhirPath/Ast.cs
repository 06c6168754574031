using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// A compiled expression node. Each node evaluates itself against a focus collection; errors raised inside are
/// reported with this node's position in the expression text.
/// </summary>
internal abstract class Node(int position)
{
    public int Position { get; } = position;

    public IReadOnlyList<object> Eval(Scope scope, IReadOnlyList<object> focus)
    {
        // The tree depth is bounded by the parser; this protects callers on small-stack threads.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            return EvalCore(scope, focus);
        }
        catch (FhirPathRuntimeError e)
        {
            throw new FhirPathEvaluationException(e.Message, scope.Text, Position, e);
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or FormatException or InvalidCastException or InvalidOperationException)
        {
            // A host library failure on odd data (overflow, bad format...) is still an evaluation error of this node.
            throw new FhirPathEvaluationException(e.Message, scope.Text, Position, e);
        }
    }

    protected abstract IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus);

    /// <summary>
    /// Evaluates on a focus of one item, without a scope or collections, where the result is sure to be at most one item
    /// and nothing can fail: true with that item (null for none). False when the evaluation needs <see cref="Eval"/>
    /// (several items, something to report, a node with no such form); <see cref="Eval"/> then gives the result or the error.
    /// </summary>
    public virtual bool TrySingle(object focus, out object? item)
    {
        item = null;
        return false;
    }

    /// <summary>The single-item form of an operand or target: on the focus itself when there is none.</summary>
    protected static bool TrySingleInput(Node? target, object focus, out object? input)
    {
        if (target is null)
        {
            input = focus;
            return true;
        }

        input = null;
        return System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack() && target.TrySingle(focus, out input);
    }

    /// <summary>Child nodes (for static checks and diagnostics).</summary>
    public virtual IEnumerable<Node> Children => [];
}

internal sealed class LiteralNode(int position, object? value) : Node(position)
{
    private readonly IReadOnlyList<object> _result = value is null ? [] : [value];

    public object? Value => value;

    public override bool TrySingle(object focus, out object? item)
    {
        item = value;
        return true;
    }

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus) => _result;
}

/// <summary>A collection known before evaluation: a bound constant or a folded constant sub-expression (<see cref="ConstantFolding"/>).</summary>
internal sealed class ConstantNode(int position, IReadOnlyList<object> items) : Node(position)
{
    public IReadOnlyList<object> Items => items;

    public override bool TrySingle(object focus, out object? item)
    {
        item = items.Count == 1 ? items[0] : null;
        return items.Count <= 1;
    }

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus) => items;
}

/// <summary><c>$this</c>, <c>$index</c>, <c>$total</c>.</summary>
internal sealed class SpecialNode(int position, string name) : Node(position)
{
    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus) => name switch
    {
        "this" => scope.This,
        "index" => scope.Index < 0 ? [] : [(long)scope.Index],
        _ => scope.Total ?? [],
    };
}

/// <summary>An element name, either after a dot (<paramref name="target"/> set) or at the start of a path.</summary>
internal sealed class MemberNode(int position, Node? target, string name) : Node(position)
{
    public Node? Target => target;

    public string Name => name;

    public override IEnumerable<Node> Children => target is null ? [] : [target];

    /// <summary>A capitalized name at the start of a path may be a type name (<c>Patient.name</c>) rather than an element.</summary>
    private bool IsRoot => target is null && name.Length > 0 && char.IsAsciiLetterUpper(name[0]);

    public override bool TrySingle(object focus, out object? item)
    {
        item = null;
        return !IsRoot && TrySingleInput(target, focus, out var input) && (input is null || Navigation.TryChild(input, name, out item));
    }

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus)
    {
        var input = target is null ? focus : target.Eval(scope, focus);
        if (input.Count == 0)
        {
            return input;
        }

        if (input.Count == 1 && !IsRoot)
        {
            return Navigation.Child(input[0], name);
        }

        var result = new List<object>();
        for (var i = 0; i < input.Count; i++)
        {
            var item = input[i];
            if (IsRoot && item is Base b && Typing.IsTypeNamed(b.TypeInfo, name))
            {
                result.Add(item);
                continue;
            }

            Navigation.Child(item, name, result);
        }

        return result;
    }
}

internal sealed class IndexerNode(int position, Node target, Node index) : Node(position)
{
    public Node Target => target;

    public Node Index => index;

    public override IEnumerable<Node> Children => [target, index];

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus)
    {
        var input = target.Eval(scope, focus);
        var i = Values.SingletonInteger(index.Eval(scope, scope.This), "indexer");
        return i is { } n && n >= 0 && n < input.Count ? [input[(int)n]] : [];
    }
}

/// <summary><c>%name</c>: context variables, the well-known constants and user variables.</summary>
internal sealed class VariableNode(int position, string name) : Node(position)
{
    public string Name => name;

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus)
    {
        switch (name)
        {
            case "context": return scope.ContextFocus;
            case "resource": return scope.Resource is { } r ? [r] : [];
            case "rootResource": return scope.RootResource is { } rr ? [rr] : [];
            case "ucum": return ["http://unitsofmeasure.org"];
            case "sct": return ["http://snomed.info/sct"];
            case "loinc": return ["http://loinc.org"];
        }

        if (scope.Context.Variables.TryGetValue(name, out var value))
        {
            return Values.ToCollection(value);
        }

        if (name.StartsWith("vs-", StringComparison.Ordinal))
        {
            return ["http://hl7.org/fhir/ValueSet/" + name[3..]];
        }

        if (name.StartsWith("ext-", StringComparison.Ordinal))
        {
            return ["http://hl7.org/fhir/StructureDefinition/" + name[4..]];
        }

        throw new FhirPathRuntimeError($"unknown variable '%{name}'");
    }
}

internal sealed class UnaryNode(int position, bool negate, Node operand) : Node(position)
{
    public bool Negate => negate;

    public Node Operand => operand;

    public override IEnumerable<Node> Children => [operand];

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus)
    {
        var v = operand.Eval(scope, focus);
        if (v.Count == 0)
        {
            return v;
        }

        var x = Values.Singleton(v, negate ? "unary -" : "unary +");
        if (!negate)
        {
            return x is long or decimal or FhirPathQuantity ? [x] : throw new FhirPathRuntimeError("unary + needs a number or quantity");
        }

        return x switch
        {
            long l => [checked(-l)],
            decimal d => [d == 0 ? Math.Abs(d) : -d],
            FhirPathQuantity q => [q with { Value = -q.Value }],
            _ => throw new FhirPathRuntimeError($"unary - needs a number or quantity, not {Typing.TypeName(x)}"),
        };
    }
}

internal sealed class BinaryNode(int position, string op, Node left, Node right) : Node(position)
{
    private readonly Func<Scope, Node, Node, IReadOnlyList<object>, IReadOnlyList<object>> _impl = Operators.Get(op);

    public string Operator => op;

    public Node Left => left;

    public Node Right => right;

    public override IEnumerable<Node> Children => [left, right];

    /// <summary>Equality of two single items (<c>system = %registry</c>): its Boolean, or none when a side is empty or it cannot tell.</summary>
    public override bool TrySingle(object focus, out object? item)
    {
        item = null;
        if (op != "=" || !TrySingleInput(left, focus, out var a) || !TrySingleInput(right, focus, out var b))
        {
            return false;
        }

        if (a is not null && b is not null && Equality.ItemEquals(a, b) is { } equal)
        {
            item = Values.Bool(equal)[0];
        }

        return true;
    }

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus) => _impl(scope, left, right, focus);
}

/// <summary><c>x is T</c> and <c>x as T</c>.</summary>
internal sealed class TypeOperatorNode(int position, bool isAs, Node operand, TypeSpecifier type) : Node(position)
{
    public bool IsAs => isAs;

    public TypeSpecifier Type => type;

    public Node Operand => operand;

    public override IEnumerable<Node> Children => [operand];

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus)
    {
        var v = operand.Eval(scope, focus);
        if (v.Count == 0)
        {
            return v;
        }

        if (v.Count > 1)
        {
            throw new FhirPathRuntimeError($"'{(isAs ? "as" : "is")}' needs a single item, got {v.Count}");
        }

        var matches = type.Matches(v[0]);
        return isAs ? (matches ? v : []) : [matches];
    }
}

/// <summary>A function call, with or without an explicit target (<c>a.f(x)</c> or <c>f(x)</c>).</summary>
internal sealed class FunctionNode : Node
{
    private readonly FunctionDefinition _definition;

    public FunctionNode(int position, Node? target, string name, Node[] arguments)
        : base(position)
    {
        Target = target;
        Name = name;
        Arguments = arguments;
        _definition = Functions.Find(name, arguments.Length);
        if (_definition.TypeArgument && arguments.Length == 1)
        {
            TypeArgument = TypeSpecifier.FromNode(arguments[0]);
        }

        _single = Functions.FindSingle(name);
    }

    private readonly Functions.SingleItem? _single;

    public Node? Target { get; }

    public string Name { get; }

    public Node[] Arguments { get; }

    /// <summary>For is()/as()/ofType(): the type named by the argument.</summary>
    public TypeSpecifier? TypeArgument { get; }

    public override IEnumerable<Node> Children => Target is null ? Arguments : [Target, .. Arguments];

    public override bool TrySingle(object focus, out object? item)
    {
        item = null;
        return _single is { } single && TrySingleInput(Target, focus, out var input) && single(this, input, out item);
    }

    protected override IReadOnlyList<object> EvalCore(Scope scope, IReadOnlyList<object> focus)
    {
        var input = Target is null ? focus : Target.Eval(scope, focus);
        return _definition.Invoke(new Call(this, scope, input));
    }
}

/// <summary>One invocation of a function: the evaluated input and lazy access to the arguments.</summary>
internal readonly struct Call(FunctionNode node, Scope scope, IReadOnlyList<object> input)
{
    public FunctionNode Node => node;

    public Scope Scope => scope;

    public IReadOnlyList<object> Input => input;

    public int ArgCount => node.Arguments.Length;

    /// <summary>Evaluates argument <paramref name="i"/> against $this of the enclosing scope.</summary>
    public IReadOnlyList<object> Arg(int i) => node.Arguments[i].Eval(scope, scope.This);

    /// <summary>Evaluates argument <paramref name="i"/> as a lambda over one input item.</summary>
    public IReadOnlyList<object> Lambda(int i, object item, int index, IReadOnlyList<object>? total = null) =>
        node.Arguments[i].Eval(scope.Iteration(item, index, total), [item]);

    public object? SingleArg(int i) => Values.Singleton(Arg(i), node.Name);

    public string? StringArg(int i) => SingleArg(i) switch
    {
        null => null,
        string s => s,
        var o => throw new FhirPathRuntimeError($"{node.Name}() expects a string argument, not {Typing.TypeName(o)}"),
    };

    public long? IntegerArg(int i) => Values.SingletonInteger(Arg(i), node.Name);
}

/// <summary>A type name in <c>is</c>/<c>as</c>/<c>ofType</c>: optional namespace (System, FHIR) and name.</summary>
internal sealed class TypeSpecifier(string? ns, string name, int position)
{
    private readonly Lazy<Func<object, bool>> _matcher = new(() => Typing.CreateMatcher(ns, name));

    // ofType(): primitives matched exactly; built once per node, not per call.
    private readonly Lazy<Func<object, bool>> _exactMatcher = new(() => Typing.CreateMatcher(ns, name, exact: true));

    public string? Namespace => ns;

    public string Name => name;

    public int Position => position;

    public bool Matches(object item) => _matcher.Value(item);

    /// <summary>The ofType() test: FHIR primitives must be exactly the named type, complex types and resources match subtypes.</summary>
    public bool MatchesExactly(object item) => _exactMatcher.Value(item);

    public override string ToString() => ns is null ? name : ns + "." + name;

    /// <summary>Reads a type name given as a function argument (an identifier or a dotted one).</summary>
    public static TypeSpecifier FromNode(Node node) => node switch
    {
        MemberNode { Target: null } m => new TypeSpecifier(null, m.Name, m.Position),
        MemberNode { Target: MemberNode { Target: null } ns } m => new TypeSpecifier(ns.Name, m.Name, ns.Position),
        _ => throw new FhirPathRuntimeError("a type name is expected"),
    };
}
