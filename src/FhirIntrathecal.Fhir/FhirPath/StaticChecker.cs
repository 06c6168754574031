using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// Cheap static checks for strict mode: element names against the model along paths whose types are known,
/// type names after a leading resource name, order-dependent functions on unordered results, iif criteria that
/// cannot be Boolean. Anything whose type is not known is not checked.
/// </summary>
internal static class StaticChecker
{
    private static readonly HashSet<string> Filters = new(StringComparer.Ordinal)
    {
        "where", "first", "last", "tail", "skip", "take", "single", "distinct", "trace", "intersect", "exclude",
    };

    private static readonly HashSet<string> OrderDependent = new(StringComparer.Ordinal) { "skip", "take", "first", "last", "tail" };

    public static void Check(CompiledExpression expression, string rootType)
    {
        var root = ModelInfo.GetTypeInfo(rootType) ?? throw new ArgumentException($"unknown FHIR type '{rootType}'", nameof(rootType));
        Infer(expression.Root, [root], [root], expression.Text);
    }

    /// <summary>The possible types of <paramref name="node"/>'s result, null when unknown (not checked further).</summary>
    private static List<FhirTypeInfo>? Infer(Node node, List<FhirTypeInfo>? focus, List<FhirTypeInfo>? @this, string text)
    {
        switch (node)
        {
            case MemberNode m:
            {
                var input = m.Target is null ? focus : Infer(m.Target, focus, @this, text);
                if (input is null)
                {
                    return null;
                }

                if (m.Target is null && m.Name.Length > 0 && char.IsAsciiLetterUpper(m.Name[0]))
                {
                    var matching = input.Where(t => Typing.IsTypeNamed(t, m.Name)).ToList();
                    if (matching.Count > 0)
                    {
                        return matching;
                    }

                    if (ModelInfo.GetTypeInfo(m.Name) is { Kind: TypeKind.Resource })
                    {
                        throw new FhirPathSemanticException($"'{m.Name}' does not match the input type {string.Join("|", input)}", text, m.Position);
                    }
                }

                var result = new List<FhirTypeInfo>();
                var found = false;
                foreach (var t in input)
                {
                    if (t.GetElement(m.Name) is { } e)
                    {
                        found = true;
                        result.AddRange(e.Types.Where(x => x.Kind != TypeKind.System));
                    }
                }

                if (!found && input.Count > 0)
                {
                    throw new FhirPathSemanticException($"'{m.Name}' is not an element of {string.Join("|", input)}", text, m.Position);
                }

                return result.Count == 0 ? null : result;
            }

            case FunctionNode f:
            {
                var input = f.Target is null ? focus : Infer(f.Target, focus, @this, text);
                if (OrderDependent.Contains(f.Name) && f.Target is FunctionNode { Name: "children" or "descendants" } source)
                {
                    throw new FhirPathSemanticException($"{f.Name}() depends on order, but {source.Name}() is unordered", text, f.Position);
                }

                if (f.Name == "iif" && f.Arguments.Length > 0 && f.Arguments[0] is LiteralNode { Value: not (null or bool) })
                {
                    throw new FhirPathSemanticException("iif() criterion must be a Boolean expression", text, f.Arguments[0].Position);
                }

                var lambdaFocus = f.Name is "where" or "select" or "all" or "exists" or "repeat" or "aggregate" or "sort" ? input : @this;
                foreach (var a in f.Arguments)
                {
                    if (!(f.TypeArgument is not null))
                    {
                        Infer(a, lambdaFocus, lambdaFocus, text);
                    }
                }

                if (f.Name is "as" or "ofType" && f.TypeArgument is { } ta)
                {
                    return ModelInfo.GetTypeInfo(ta.Name) is { Kind: not TypeKind.System } t ? [t] : null;
                }

                return Filters.Contains(f.Name) ? input : null;
            }

            case TypeOperatorNode:
            case BinaryNode:
            case IndexerNode:
            case UnaryNode:
                List<FhirTypeInfo>? last = null;
                foreach (var child in node.Children)
                {
                    last = Infer(child, focus, @this, text);
                }

                if (node is IndexerNode ix)
                {
                    return Infer(ix.Children.First(), focus, @this, text);
                }

                if (node is TypeOperatorNode { IsAs: true, Type: var type })
                {
                    return ModelInfo.GetTypeInfo(type.Name) is { Kind: not TypeKind.System } t ? [t] : null;
                }

                return node is BinaryNode { Operator: "|" } ? null : last is null ? null : null;
            default:
                return null;
        }
    }
}
