using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// The functions of a column path (<c>first()</c>, <c>where()</c>, <c>ofType()</c>, <c>extension(url)</c>, the SQL on FHIR keys) on an
/// input of at most one item, for <see cref="Node.TrySingle"/>: what the function gives on that input, with no scope and no
/// collection; false when only the full evaluation can tell (several items, an argument that is not a constant).
/// </summary>
internal static partial class Functions
{
    /// <summary>The function on <paramref name="input"/> (null: none); false when it needs the full evaluation.</summary>
    internal delegate bool SingleItem(FunctionNode call, object? input, out object? item);

    private static readonly Dictionary<string, SingleItem> Singles = new(StringComparer.Ordinal)
    {
        // first(), last() and single() of at most one item are that item.
        ["first"] = Same,
        ["last"] = Same,
        ["single"] = Same,
        // where(criteria) keeps the item when the criteria, evaluated on it, is a single true (or a single non-Boolean).
        ["where"] = (FunctionNode call, object? input, out object? item) =>
        {
            item = null;
            if (input is null)
            {
                return true;
            }

            if (!call.Arguments[0].TrySingle(input, out var criteria))
            {
                return false;
            }

            item = criteria is not null && (Values.ToSystem(criteria) is not bool keep || keep) ? input : null;
            return true;
        },
        ["ofType"] = (FunctionNode call, object? input, out object? item) =>
        {
            item = input is not null && call.TypeArgument!.MatchesExactly(input) ? input : null;
            return true;
        },
        ["extension"] = (FunctionNode call, object? input, out object? item) =>
        {
            item = null;
            if (!ConstantString(call.Arguments[0], out var url))
            {
                return false;
            }

            if (input is null || url is null)
            {
                return true;
            }

            var extensions = ExtensionsOf(input);
            for (var k = 0; k < extensions.Count; k++)
            {
                if (extensions[k] is Extension e && e.Url == url)
                {
                    if (item is not null)
                    {
                        item = null;
                        return false;
                    }

                    item = e;
                }
            }

            return true;
        },
        ["getResourceKey"] = (FunctionNode call, object? input, out object? item) =>
        {
            item = input is null ? null : ResourceKey(input);
            return true;
        },
        ["getReferenceKey"] = (FunctionNode call, object? input, out object? item) =>
        {
            item = input is null ? null : ReferenceKey(call, input);
            return true;
        },
    };

    /// <summary>The single-item form of a function, or null when it has none.</summary>
    public static SingleItem? FindSingle(string name) => Singles.GetValueOrDefault(name);

    private static bool Same(FunctionNode call, object? input, out object? item)
    {
        item = input;
        return true;
    }

    /// <summary>A string argument known before evaluation (a literal, a bound constant): its value, null when empty.</summary>
    private static bool ConstantString(Node argument, out string? value)
    {
        (var known, value) = argument switch
        {
            LiteralNode { Value: var v } => (v is null or string, v as string),
            ConstantNode { Items: { Count: 0 } } => (true, null),
            ConstantNode { Items: [string s] } => (true, s),
            _ => (false, null),
        };
        return known;
    }
}
