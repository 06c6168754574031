using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Filtering and projection, subsetting, combining, iif, aggregate and sort.</summary>
internal static partial class Functions
{
    private static void RegisterFiltering(Register add)
    {
        add("where", 1, 1, c =>
        {
            var result = default(Collector);
            for (var i = 0; i < c.Input.Count; i++)
            {
                if (Values.SingletonBoolean(c.Lambda(0, c.Input[i], i), "where") == true)
                {
                    result.Add(c.Input[i]);
                }
            }

            return result.Result;
        });
        add("select", 1, 1, c =>
        {
            var result = new List<object>();
            for (var i = 0; i < c.Input.Count; i++)
            {
                result.AddRange(c.Lambda(0, c.Input[i], i));
            }

            return result;
        });
        add("repeat", 1, 1, Repeat);
        add("ofType", 1, 1, c =>
        {
            var type = c.Node.TypeArgument!;
            if (c.Input.Count == 1)
            {
                // The common single-valued case (value.ofType(Quantity)) keeps its input collection.
                return type.MatchesExactly(c.Input[0]) ? c.Input : [];
            }

            var result = new List<object>();
            foreach (var item in c.Input)
            {
                if (type.MatchesExactly(item))
                {
                    result.Add(item);
                }
            }

            return result;
        }, typeArg: true);

        add("single", 0, 0, c => c.Input.Count > 1 ? throw new FhirPathRuntimeError($"single() found {c.Input.Count} items") : c.Input);
        add("first", 0, 0, c => c.Input.Count <= 1 ? c.Input : [c.Input[0]]);
        add("last", 0, 0, c => c.Input.Count == 0 ? c.Input : [c.Input[^1]]);
        add("tail", 0, 0, c => c.Input.Skip(1).ToList());
        add("skip", 1, 1, c => c.IntegerArg(0) is { } n ? c.Input.Skip((int)Math.Clamp(n, 0, int.MaxValue)).ToList() : c.Input);
        add("take", 1, 1, c => c.IntegerArg(0) is { } n && n > 0 ? c.Input.Take((int)Math.Min(n, int.MaxValue)).ToList() : []);
        add("intersect", 1, 1, c =>
        {
            var other = c.Arg(0);
            var result = new List<object>();
            foreach (var item in c.Input)
            {
                if (Operators.Contains(other, item) && !Operators.Contains(result, item))
                {
                    result.Add(item);
                }
            }

            return result;
        });
        add("exclude", 1, 1, c =>
        {
            var other = c.Arg(0);
            return c.Input.Where(item => !Operators.Contains(other, item)).ToList();
        });
        add("union", 1, 1, c => Operators.Union(c.Input, c.Arg(0)));
        add("combine", 1, 1, c => [.. c.Input, .. c.Arg(0)]);

        add("iif", 2, 3, Iif);
        add("aggregate", 1, 2, c =>
        {
            var total = c.ArgCount > 1 ? c.Arg(1) : [];
            for (var i = 0; i < c.Input.Count; i++)
            {
                total = c.Lambda(0, c.Input[i], i, total);
            }

            return total;
        });
        add("sort", 0, int.MaxValue, Sort);
    }

    /// <summary>repeat() over a projection that keeps producing new values ((1).repeat($this + 1)) stops here.</summary>
    private const int MaxRepeatItems = 100_000;

    private static IReadOnlyList<object> Repeat(Call c)
    {
        var result = new List<object>();
        var seenNodes = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var seenValues = new HashSet<object>();
        var queue = new Queue<object>(c.Input);
        while (queue.Count > 0)
        {
            var item = queue.Dequeue();
            foreach (var next in c.Lambda(0, item, 0))
            {
                // Elements are new by identity, System values by value (1 and 1.0 are the same item).
                var isNew = next is Base ? seenNodes.Add(next) : seenValues.Add(Values.ToSystem(next) is long l ? (decimal)l : Values.ToSystem(next) ?? next);
                if (isNew)
                {
                    result.Add(next);
                    queue.Enqueue(next);
                    if (result.Count > MaxRepeatItems)
                    {
                        throw new FhirPathRuntimeError($"repeat() produced more than {MaxRepeatItems:N0} items without converging");
                    }
                }
            }
        }

        return result;
    }

    private static IReadOnlyList<object> Iif(Call c)
    {
        if (c.Input.Count > 1)
        {
            throw new FhirPathRuntimeError($"iif() needs at most one input item, got {c.Input.Count}");
        }

        // With an explicit input (x.iif(...)) the arguments see that input as $this.
        Func<int, IReadOnlyList<object>> arg = c.Node.Target is null
            ? c.Arg
            : c.Input.Count == 1
                ? i => c.Lambda(i, c.Input[0], 0)
                : i => c.Node.Arguments[i].Eval(c.Scope.WithThis([]), []);
        var criterion = arg(0);
        if (criterion.Count > 1)
        {
            throw new FhirPathRuntimeError("iif() criterion must be a single Boolean");
        }

        var test = Values.SingletonBoolean(criterion, "iif");
        if (test == true)
        {
            return arg(1);
        }

        return c.ArgCount > 2 ? arg(2) : [];
    }

    private static IReadOnlyList<object> Sort(Call c)
    {
        var items = c.Input.Select((item, index) => (item, index)).ToList();
        if (c.ArgCount == 0)
        {
            items.Sort((a, b) => CompareForSort(Values.ToSystem(a.item), Values.ToSystem(b.item), a.index, b.index));
            return items.Select(x => x.item).ToList();
        }

        // A key written as -expr sorts descending (also for strings, where unary minus is otherwise undefined).
        var keys = new (Node Expr, bool Descending)[c.ArgCount];
        for (var k = 0; k < c.ArgCount; k++)
        {
            keys[k] = c.Node.Arguments[k] is UnaryNode { Negate: true } u ? (u.Operand, true) : (c.Node.Arguments[k], false);
        }

        var scope = c.Scope;
        var keyed = items.Select(x => (x.item, x.index, values: keys.Select(k => Values.Singleton(k.Expr.Eval(scope.Iteration(x.item, x.index), [x.item]), "sort")).ToArray())).ToList();
        keyed.Sort((a, b) =>
        {
            for (var k = 0; k < keys.Length; k++)
            {
                var cmp = CompareForSort(a.values[k], b.values[k], 0, 0);
                if (cmp != 0)
                {
                    return keys[k].Descending ? -cmp : cmp;
                }
            }

            return a.index.CompareTo(b.index);
        });
        return keyed.Select(x => x.item).ToList();
    }

    private static int CompareForSort(object? a, object? b, int ia, int ib)
    {
        if (a is null || b is null)
        {
            // Empty keys sort after every value.
            return a is null && b is null ? ia.CompareTo(ib) : a is null ? 1 : -1;
        }

        var c = Equality.Compare(a, b) ?? 0;
        return c != 0 ? c : ia.CompareTo(ib);
    }
}
