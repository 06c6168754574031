using System.Globalization;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>lowBoundary(), highBoundary(), precision() and comparable().</summary>
internal static partial class Functions
{
    private static void RegisterBoundaries(Register add)
    {
        add("lowBoundary", 0, 1, c => Boundary(c, high: false));
        add("highBoundary", 0, 1, c => Boundary(c, high: true));
        add("precision", 0, 0, c => Single(c) switch
        {
            null => [],
            long => [0L],
            decimal d => [(long)Equality.Scale(d)],
            FhirPathTemporal t => [(long)Digits(t, t.Precision)],
            var o => throw new FhirPathRuntimeError($"precision() is not defined for {Typing.TypeName(o)}"),
        });
        add("comparable", 1, 1, c =>
        {
            if (Single(c) is not FhirPathQuantity a || Values.Singleton(c.Arg(0), "comparable") is not FhirPathQuantity b)
            {
                return [];
            }

            return Values.Bool(FhirPathQuantity.Compare(a, b) is not null);
        });
    }

    private static IReadOnlyList<object> Boundary(in Call c, bool high)
    {
        var v = Single(c);
        long? p = c.ArgCount > 0 ? c.IntegerArg(0) : null;
        return v switch
        {
            null => [],
            long l => One((object?)DecimalBoundary(l, p, high)),
            decimal d => One((object?)DecimalBoundary(d, p, high)),
            FhirPathQuantity q => DecimalBoundary(q.Value, p, high) is decimal b ? [q with { Value = b }] : [],
            FhirPathTemporal t => One(TemporalBoundary(t, p, high)),
            _ => throw new FhirPathRuntimeError($"{c.Node.Name}() is not defined for {Typing.TypeName(v)}"),
        };
    }

    /// <summary>
    /// The boundary of the interval a decimal stands for (±half a unit in its last digit), at <paramref name="precision"/>
    /// decimal places (default 8): the low boundary is rounded down, the high one up. Values smaller than one unit at the
    /// requested precision give a signed zero, as the test suite expects.
    /// </summary>
    private static decimal? DecimalBoundary(decimal value, long? precision, bool high)
    {
        var p = precision ?? 8;
        if (p is < 0 or > 28)
        {
            return null;
        }

        var half = 0.5m / Pow10(Equality.Scale(value));
        var bound = high ? value + half : value - half;
        var unit = 1m / Pow10((int)p);
        decimal result;
        if (p > 0 && Math.Abs(value) < unit)
        {
            result = 0m;
        }
        else
        {
            var scaled = bound * Pow10((int)p);
            var rounded = high ? Math.Ceiling(scaled) : Math.Floor(scaled);
            result = rounded / Pow10((int)p);
        }

        var text = result.ToString("F" + p, CultureInfo.InvariantCulture);
        if (result == 0 && value < 0 && !text.StartsWith('-'))
        {
            text = "-" + text;
        }

        return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    private static decimal Pow10(int n)
    {
        var r = 1m;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }

    private static int Digits(FhirPathTemporal t, TemporalPrecision p) => t is FhirPathTime
        ? p switch { TemporalPrecision.Hour => 2, TemporalPrecision.Minute => 4, TemporalPrecision.Second => 6, _ => 9 }
        : p switch
        {
            TemporalPrecision.Year => 4,
            TemporalPrecision.Month => 6,
            TemporalPrecision.Day => 8,
            TemporalPrecision.Hour => 10,
            TemporalPrecision.Minute => 12,
            TemporalPrecision.Second => 14,
            _ => 17,
        };

    private static FhirPathTemporal? TemporalBoundary(FhirPathTemporal t, long? digits, bool high)
    {
        TemporalPrecision? target = null;
        for (var p = t.MinPrecision; p <= t.MaxPrecision; p++)
        {
            if (Digits(t, p) == (digits ?? Digits(t, t.MaxPrecision)))
            {
                target = p;
            }
        }

        if (target is not { } precision)
        {
            return null;
        }

        var year = t.Year;
        var month = t.Precision >= TemporalPrecision.Month ? t.Month : high ? 12 : 1;
        var day = t.Precision >= TemporalPrecision.Day ? t.Day : high ? DateTime.DaysInMonth(Math.Max(1, year), month) : 1;
        var hour = t.Precision >= TemporalPrecision.Hour ? t.Hour : high ? 23 : 0;
        var minute = t.Precision >= TemporalPrecision.Minute ? t.Minute : high ? 59 : 0;
        var second = t.Precision >= TemporalPrecision.Second ? t.Second : high ? 59 : 0;
        var ms = t.Precision >= TemporalPrecision.Millisecond ? t.Millisecond : high ? 999 : 0;
        var offset = t.Offset;
        if (t is FhirPathDateTime && offset is null && precision >= TemporalPrecision.Hour)
        {
            // Without a zone the instant could be anywhere from UTC+14 to UTC-12.
            offset = high ? TimeSpan.FromHours(-12) : TimeSpan.FromHours(14);
        }

        return t switch
        {
            FhirPathDate => new FhirPathDate(year, month, day, precision),
            FhirPathDateTime => new FhirPathDateTime(year, month, day, hour, minute, second, ms, precision, offset),
            _ => new FhirPathTime(hour, minute, second, ms, precision),
        };
    }
}
