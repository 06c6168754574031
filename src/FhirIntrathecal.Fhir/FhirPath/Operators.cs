namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Binary operators: logic (three-valued), equality, comparison, membership, union and arithmetic.</summary>
internal static class Operators
{
    public static Func<Scope, Node, Node, IReadOnlyList<object>, IReadOnlyList<object>> Get(string op) => op switch
    {
        "and" => And,
        "or" => Or,
        "xor" => (s, l, r, f) => Logic(s, l, r, f, "xor", (a, b) => a is { } x && b is { } y ? x ^ y : null),
        "implies" => Implies,
        "=" => (s, l, r, f) => Values.Bool(Equality.CollectionEquals(l.Eval(s, f), r.Eval(s, f))),
        "!=" => (s, l, r, f) => Values.Bool(!Equality.CollectionEquals(l.Eval(s, f), r.Eval(s, f))),
        "~" => (s, l, r, f) => Values.Bool(Equality.CollectionEquivalent(l.Eval(s, f), r.Eval(s, f))),
        "!~" => (s, l, r, f) => Values.Bool(!Equality.CollectionEquivalent(l.Eval(s, f), r.Eval(s, f))),
        "<" => (s, l, r, f) => Comparison(s, l, r, f, op, c => c < 0),
        ">" => (s, l, r, f) => Comparison(s, l, r, f, op, c => c > 0),
        "<=" => (s, l, r, f) => Comparison(s, l, r, f, op, c => c <= 0),
        ">=" => (s, l, r, f) => Comparison(s, l, r, f, op, c => c >= 0),
        "|" => (s, l, r, f) => Union(l.Eval(s, f), r.Eval(s, f)),
        "in" => (s, l, r, f) => Membership(l.Eval(s, f), r.Eval(s, f), "in"),
        "contains" => (s, l, r, f) => Membership(r.Eval(s, f), l.Eval(s, f), "contains"),
        "&" => Concatenate,
        "+" or "-" or "*" or "/" or "div" or "mod" => (s, l, r, f) => Arithmetic(op, l.Eval(s, f), r.Eval(s, f)),
        _ => throw new FhirPathRuntimeError($"unknown operator '{op}'"),
    };

    private static IReadOnlyList<object> And(Scope s, Node l, Node r, IReadOnlyList<object> f)
    {
        var a = Values.SingletonBoolean(l.Eval(s, f), "and");
        if (a == false)
        {
            return Values.False;
        }

        var b = Values.SingletonBoolean(r.Eval(s, f), "and");
        return b == false ? Values.False : a == true && b == true ? Values.True : [];
    }

    private static IReadOnlyList<object> Or(Scope s, Node l, Node r, IReadOnlyList<object> f)
    {
        var a = Values.SingletonBoolean(l.Eval(s, f), "or");
        if (a == true)
        {
            return Values.True;
        }

        var b = Values.SingletonBoolean(r.Eval(s, f), "or");
        return b == true ? Values.True : a == false && b == false ? Values.False : [];
    }

    private static IReadOnlyList<object> Implies(Scope s, Node l, Node r, IReadOnlyList<object> f)
    {
        var a = Values.SingletonBoolean(l.Eval(s, f), "implies");
        if (a == false)
        {
            return Values.True;
        }

        var b = Values.SingletonBoolean(r.Eval(s, f), "implies");
        return b == true ? Values.True : a == true && b == false ? Values.False : [];
    }

    private static IReadOnlyList<object> Logic(Scope s, Node l, Node r, IReadOnlyList<object> f, string op, Func<bool?, bool?, bool?> impl) =>
        Values.Bool(impl(Values.SingletonBoolean(l.Eval(s, f), op), Values.SingletonBoolean(r.Eval(s, f), op)));

    private static IReadOnlyList<object> Comparison(Scope s, Node l, Node r, IReadOnlyList<object> f, string op, Func<int, bool> test)
    {
        var a = Values.Singleton(l.Eval(s, f), op);
        var b = Values.Singleton(r.Eval(s, f), op);
        if (a is null || b is null)
        {
            return [];
        }

        var c = Equality.Compare(a, b);
        return c is { } v ? Values.Bool(test(v)) : [];
    }

    /// <summary>Union without duplicates (by equality), in first-seen order.</summary>
    public static List<object> Union(IReadOnlyList<object> a, IReadOnlyList<object> b)
    {
        var result = new List<object>(a.Count + b.Count);
        AddDistinct(result, a);
        AddDistinct(result, b);
        return result;
    }

    public static void AddDistinct(List<object> result, IReadOnlyList<object> items)
    {
        foreach (var item in items)
        {
            if (!Contains(result, item))
            {
                result.Add(item);
            }
        }
    }

    public static bool Contains(IReadOnlyList<object> collection, object item)
    {
        foreach (var x in collection)
        {
            if (Equality.ItemEquals(x, item) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<object> Membership(IReadOnlyList<object> item, IReadOnlyList<object> collection, string op)
    {
        if (item.Count == 0)
        {
            return [];
        }

        if (item.Count > 1)
        {
            throw new FhirPathRuntimeError($"'{op}' needs a single item, got {item.Count}");
        }

        return Values.Bool(Contains(collection, item[0]));
    }

    private static IReadOnlyList<object> Concatenate(Scope s, Node l, Node r, IReadOnlyList<object> f)
    {
        var a = Values.Singleton(l.Eval(s, f), "&");
        var b = Values.Singleton(r.Eval(s, f), "&");
        return [AsString(a) + AsString(b)];

        static string AsString(object? v) => v switch
        {
            null => "",
            string str => str,
            _ => throw new FhirPathRuntimeError($"'&' needs strings, not {Typing.TypeName(v)}"),
        };
    }

    public static IReadOnlyList<object> Arithmetic(string op, IReadOnlyList<object> left, IReadOnlyList<object> right)
    {
        var a = Values.Singleton(left, op);
        var b = Values.Singleton(right, op);
        if (a is null || b is null)
        {
            return [];
        }

        try
        {
            return Compute(op, a, b) is { } r ? [r] : [];
        }
        catch (OverflowException)
        {
            return [];
        }
    }

    private static object? Compute(string op, object a, object b)
    {
        switch (a)
        {
            case long x when b is long y:
                return op switch
                {
                    "+" => checked(x + y),
                    "-" => checked(x - y),
                    "*" => checked(x * y),
                    "/" => y == 0 ? null : (decimal)x / y,
                    "div" => y == 0 ? null : x / y,
                    _ => y == 0 ? null : x % y,
                };
            case long or decimal when b is long or decimal:
                var dx = Equality.ToDecimal(a);
                var dy = Equality.ToDecimal(b);
                return op switch
                {
                    "+" => dx + dy,
                    "-" => dx - dy,
                    "*" => dx * dy,
                    "/" => dy == 0 ? null : dx / dy,
                    "div" => dy == 0 ? null : (long)decimal.Truncate(dx / dy),
                    _ => dy == 0 ? null : dx % dy,
                };
            case string sa when b is string sb && op == "+":
                return sa + sb;
            case FhirPathTemporal t when b is FhirPathQuantity q && op is "+" or "-":
                var (amount, unit) = q.ToCalendarStep();
                return t.Add(op == "-" ? -amount : amount, unit);
            case FhirPathQuantity qa when b is FhirPathQuantity qb:
                return QuantityArithmetic(op, qa, qb);
            case FhirPathQuantity q when b is long or decimal && op is "*" or "/":
                var n = Equality.ToDecimal(b);
                return op == "*" ? q with { Value = q.Value * n } : n == 0 ? null : q with { Value = q.Value / n };
            case long or decimal when b is FhirPathQuantity q && op == "*":
                return q with { Value = q.Value * Equality.ToDecimal(a) };
        }

        throw new FhirPathRuntimeError($"operator '{op}' cannot be applied to {Typing.TypeName(a)} and {Typing.TypeName(b)}");
    }

    private static FhirPathQuantity? QuantityArithmetic(string op, FhirPathQuantity a, FhirPathQuantity b)
    {
        switch (op)
        {
            case "+" or "-":
                if (a.Unit == b.Unit)
                {
                    return a with { Value = op == "+" ? a.Value + b.Value : a.Value - b.Value };
                }

                if (b.TryConvert(a.Unit, out var converted))
                {
                    return a with { Value = op == "+" ? a.Value + converted.Value : a.Value - converted.Value };
                }

                return null;
            case "*" or "/":
                return FhirPathQuantity.Multiply(a, b, op == "/");
            default:
                throw new FhirPathRuntimeError($"operator '{op}' cannot be applied to quantities");
        }
    }
}
