namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>A named function: arity bounds and its implementation.</summary>
internal sealed record FunctionDefinition(string Name, int MinArgs, int MaxArgs, Func<Call, IReadOnlyList<object>> Invoke, bool TypeArgument = false);

/// <summary>The function table. Each group registers itself from its own file.</summary>
internal static partial class Functions
{
    private static readonly Dictionary<string, FunctionDefinition> Table = Build();

    public static bool IsKnown(string name) => Table.ContainsKey(name);

    /// <summary>The definition for a call; a wrong argument count fails at parse time, an unknown name when evaluated.</summary>
    public static FunctionDefinition Find(string name, int argCount)
    {
        if (!Table.TryGetValue(name, out var def))
        {
            return new FunctionDefinition(name, 0, int.MaxValue, _ => throw new FhirPathRuntimeError($"unknown function '{name}'"));
        }

        if (argCount < def.MinArgs || argCount > def.MaxArgs)
        {
            var expected = def.MinArgs == def.MaxArgs ? $"{def.MinArgs}" : $"{def.MinArgs} to {def.MaxArgs}";
            throw new FhirPathRuntimeError($"function '{name}' takes {expected} argument(s), got {argCount}");
        }

        return def;
    }

    private static Dictionary<string, FunctionDefinition> Build()
    {
        var table = new Dictionary<string, FunctionDefinition>(StringComparer.Ordinal);
        void Add(string name, int min, int max, Func<Call, IReadOnlyList<object>> impl, bool typeArg = false) =>
            table[name] = new FunctionDefinition(name, min, max, impl, typeArg);

        RegisterExistence(Add);
        RegisterFiltering(Add);
        RegisterConversion(Add);
        RegisterStrings(Add);
        RegisterMath(Add);
        RegisterUtility(Add);
        RegisterBoundaries(Add);
        RegisterFhir(Add);
        RegisterSqlOnFhir(Add);
        return table;
    }

    private delegate void Register(string name, int min, int max, Func<Call, IReadOnlyList<object>> impl, bool typeArg = false);

    /// <summary>The single input item as a System value (null when empty); more than one is an error.</summary>
    private static object? Single(in Call c) => Values.Singleton(c.Input, c.Node.Name + "()");

    private static IReadOnlyList<object> One(object? value) => value is null ? [] : [value];

    /// <summary>Collects result items: nothing allocated for none, a one-item collection for one (the common cases per row).</summary>
    private struct Collector
    {
        private object? _first;
        private List<object>? _all;

        public void Add(object item)
        {
            if (_all is not null)
            {
                _all.Add(item);
            }
            else if (_first is null)
            {
                _first = item;
            }
            else
            {
                _all = [_first, item];
            }
        }

        public readonly IReadOnlyList<object> Result => _all ?? (_first is null ? [] : [_first]);
    }
}
