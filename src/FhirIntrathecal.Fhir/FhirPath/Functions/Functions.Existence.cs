namespace FhirIntrathecal.Fhir.FhirPath;

internal static partial class Functions
{
    private static void RegisterExistence(Register add)
    {
        add("empty", 0, 0, c => Values.Bool(c.Input.Count == 0));
        add("exists", 0, 1, c => c.ArgCount == 0 ? Values.Bool(c.Input.Count > 0) : Values.Bool(Any(c)));
        add("all", 1, 1, c =>
        {
            for (var i = 0; i < c.Input.Count; i++)
            {
                if (Values.SingletonBoolean(c.Lambda(0, c.Input[i], i), "all") != true)
                {
                    return Values.False;
                }
            }

            return Values.True;
        });
        add("allTrue", 0, 0, c => Values.Bool(Booleans(c).All(b => b)));
        add("anyTrue", 0, 0, c => Values.Bool(Booleans(c).Any(b => b)));
        add("allFalse", 0, 0, c => Values.Bool(Booleans(c).All(b => !b)));
        add("anyFalse", 0, 0, c => Values.Bool(Booleans(c).Any(b => !b)));
        add("subsetOf", 1, 1, c => Values.Bool(IsSubset(c.Input, c.Arg(0))));
        add("supersetOf", 1, 1, c => Values.Bool(IsSubset(c.Arg(0), c.Input)));
        add("count", 0, 0, c => [(long)c.Input.Count]);
        add("distinct", 0, 0, c =>
        {
            var result = new List<object>();
            Operators.AddDistinct(result, c.Input);
            return result;
        });
        add("isDistinct", 0, 0, c =>
        {
            var result = new List<object>();
            Operators.AddDistinct(result, c.Input);
            return Values.Bool(result.Count == c.Input.Count);
        });
    }

    private static bool Any(in Call c)
    {
        for (var i = 0; i < c.Input.Count; i++)
        {
            if (Values.SingletonBoolean(c.Lambda(0, c.Input[i], i), "exists") == true)
            {
                return true;
            }
        }

        return false;
    }

    private static List<bool> Booleans(in Call c)
    {
        var result = new List<bool>(c.Input.Count);
        foreach (var item in c.Input)
        {
            result.Add(Values.ToSystem(item) switch
            {
                bool b => b,
                var o => throw new FhirPathRuntimeError($"{c.Node.Name}() needs Boolean items, found {Typing.TypeName(o)}"),
            });
        }

        return result;
    }

    private static bool IsSubset(IReadOnlyList<object> subset, IReadOnlyList<object> superset)
    {
        foreach (var item in subset)
        {
            if (!Operators.Contains(superset, item))
            {
                return false;
            }
        }

        return true;
    }
}
