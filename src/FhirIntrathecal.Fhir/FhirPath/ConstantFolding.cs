using System.Runtime.CompilerServices;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// Binds variables whose values are known before evaluation (a ViewDefinition's constants) into an expression tree and
/// folds what they make constant, so <c>extension(%ext + 'needle-gauge')</c> computes its URL once instead of once per
/// resource. A bound <c>%name</c> becomes the collection the variable would give; a unary or binary operator whose
/// operands are all constant becomes its result (operators read nothing but their operands). An operator that fails on
/// its constant operands is left as it was, so the evaluation fails exactly as before, at the same position. The
/// built-in variables (<c>%context</c>, <c>%resource</c>, <c>%rootResource</c>, <c>%ucum</c>, <c>%sct</c>, <c>%loinc</c>)
/// are never bound: they take precedence over user variables. Unchanged sub-trees are shared, not copied.
/// </summary>
internal static class ConstantFolding
{
    private static readonly HashSet<string> BuiltIn = new(["context", "resource", "rootResource", "ucum", "sct", "loinc"], StringComparer.Ordinal);

    public static Node Bind(Node node, IReadOnlyDictionary<string, object> constants, string text)
    {
        // The tree depth is bounded by the parser; this protects callers on small-stack threads.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (node)
        {
            case VariableNode v when !BuiltIn.Contains(v.Name) && constants.TryGetValue(v.Name, out var value):
                return new ConstantNode(v.Position, Values.ToCollection(value));
            case MemberNode { Target: { } target } m:
                var boundTarget = Bind(target, constants, text);
                return ReferenceEquals(boundTarget, target) ? m : new MemberNode(m.Position, boundTarget, m.Name);
            case IndexerNode i:
                var (collection, index) = (Bind(i.Target, constants, text), Bind(i.Index, constants, text));
                return ReferenceEquals(collection, i.Target) && ReferenceEquals(index, i.Index) ? i : new IndexerNode(i.Position, collection, index);
            case UnaryNode u:
                var operand = Bind(u.Operand, constants, text);
                return ReferenceEquals(operand, u.Operand) ? u : Fold(new UnaryNode(u.Position, u.Negate, operand), text, operand);
            case BinaryNode b:
                var (left, right) = (Bind(b.Left, constants, text), Bind(b.Right, constants, text));
                return ReferenceEquals(left, b.Left) && ReferenceEquals(right, b.Right)
                    ? b
                    : Fold(new BinaryNode(b.Position, b.Operator, left, right), text, left, right);
            case TypeOperatorNode t:
                var typed = Bind(t.Operand, constants, text);
                return ReferenceEquals(typed, t.Operand) ? t : new TypeOperatorNode(t.Position, t.IsAs, typed, t.Type);
            case FunctionNode f:
                var functionTarget = f.Target is null ? null : Bind(f.Target, constants, text);
                var arguments = f.Arguments.Select(a => Bind(a, constants, text)).ToArray();
                var same = ReferenceEquals(functionTarget, f.Target) && arguments.Select((a, k) => ReferenceEquals(a, f.Arguments[k])).All(x => x);
                return same ? f : new FunctionNode(f.Position, functionTarget, f.Name, arguments);
            default:
                return node;
        }
    }

    /// <summary>The operator's result as a constant when every operand is one; the operator itself when not, or when it fails.</summary>
    private static Node Fold(Node node, string text, params Node[] operands)
    {
        if (!operands.All(o => o is ConstantNode or LiteralNode))
        {
            return node;
        }

        try
        {
            // Operands are constants: the focus and the context are never read.
            return new ConstantNode(node.Position, node.Eval(Scope.Create(new EvaluationContext(), text, []), []));
        }
        catch (FhirPathEvaluationException)
        {
            return node;
        }
    }
}
