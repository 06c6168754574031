namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Math functions on Integer, Decimal and (for abs) Quantity.</summary>
internal static partial class Functions
{
    private static void RegisterMath(Register add)
    {
        add("abs", 0, 0, c => Single(c) switch
        {
            null => [],
            long l => [Math.Abs(l)],
            decimal d => [Math.Abs(d)],
            FhirPathQuantity q => [q with { Value = Math.Abs(q.Value) }],
            var o => throw NotNumber(c, o),
        });
        add("ceiling", 0, 0, c => Number(c) is { } d ? [(long)Math.Ceiling(d)] : []);
        add("floor", 0, 0, c => Number(c) is { } d ? [(long)Math.Floor(d)] : []);
        add("truncate", 0, 0, c => Number(c) is { } d ? [(long)Math.Truncate(d)] : []);
        add("exp", 0, 0, c => Number(c) is { } d ? Dbl(Math.Exp((double)d)) : []);
        add("ln", 0, 0, c => Number(c) is { } d ? Dbl(Math.Log((double)d)) : []);
        add("log", 1, 1, c => Number(c) is { } d && NumberArg(c, 0) is { } b ? Dbl(Math.Log((double)d, (double)b)) : []);
        add("sqrt", 0, 0, c => Number(c) is { } d ? Dbl(Math.Sqrt((double)d)) : []);
        add("power", 1, 1, c =>
        {
            var v = Single(c);
            var e = Values.Singleton(c.Arg(0), "power");
            if (v is null || e is null)
            {
                return [];
            }

            if (v is long bl && e is long el && el >= 0)
            {
                try
                {
                    long r = 1;
                    for (var i = 0; i < el; i++)
                    {
                        r = checked(r * bl);
                    }

                    return [r];
                }
                catch (OverflowException)
                {
                    return [];
                }
            }

            return Dbl(Math.Pow((double)Equality.ToDecimal(v), (double)Equality.ToDecimal(e)));
        });
        add("round", 0, 1, c =>
        {
            if (Number(c) is not { } d)
            {
                return [];
            }

            var digits = c.ArgCount > 0 ? c.IntegerArg(0) ?? 0 : 0;
            if (digits is < 0 or > 28)
            {
                throw new FhirPathRuntimeError("round() precision must be between 0 and 28");
            }

            return [Math.Round(d, (int)digits, MidpointRounding.AwayFromZero)];
        });
    }

    private static decimal? Number(in Call c) => Single(c) switch
    {
        null => null,
        long l => l,
        decimal d => d,
        var o => throw NotNumber(c, o),
    };

    private static decimal? NumberArg(in Call c, int i) => Values.Singleton(c.Arg(i), c.Node.Name) switch
    {
        null => null,
        var o => Equality.ToDecimal(o),
    };

    private static FhirPathRuntimeError NotNumber(in Call c, object o) =>
        new($"{c.Node.Name}() needs a number, not {Typing.TypeName(o)}");

    /// <summary>A double result as Decimal; NaN and infinities (ln(0), sqrt(-1)) give empty.</summary>
    private static IReadOnlyList<object> Dbl(double d) =>
        double.IsNaN(d) || double.IsInfinity(d) || Math.Abs(d) > (double)decimal.MaxValue ? [] : [(decimal)d];
}
