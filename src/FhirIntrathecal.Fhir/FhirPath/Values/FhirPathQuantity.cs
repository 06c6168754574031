using System.Globalization;
using FhirIntrathecal.Fhir.Terminology.Ucum;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// A FHIRPath Quantity: a decimal value and a unit, either a UCUM code (<c>'mg'</c>) or a calendar duration keyword
/// (<c>year</c>, <c>month</c>, <c>week</c>, <c>day</c>, <c>hour</c>, <c>minute</c>, <c>second</c>, <c>millisecond</c>; stored singular).
/// </summary>
public readonly record struct FhirPathQuantity(decimal Value, string Unit)
{
    private static readonly Dictionary<string, TemporalPrecision> CalendarUnits = new(StringComparer.Ordinal)
    {
        ["year"] = TemporalPrecision.Year,
        ["month"] = TemporalPrecision.Month,
        ["week"] = TemporalPrecision.Day,
        ["day"] = TemporalPrecision.Day,
        ["hour"] = TemporalPrecision.Hour,
        ["minute"] = TemporalPrecision.Minute,
        ["second"] = TemporalPrecision.Second,
        ["millisecond"] = TemporalPrecision.Millisecond,
    };

    /// <summary>True for a calendar duration keyword unit.</summary>
    public bool IsCalendar => CalendarUnits.ContainsKey(Unit);

    /// <summary>Normalizes a calendar keyword (plural or singular) to its singular form, or null when it is not one.</summary>
    internal static string? CalendarKeyword(string word)
    {
        var w = word.EndsWith('s') && word.Length > 1 ? word[..^1] : word;
        return CalendarUnits.ContainsKey(w) ? w : null;
    }

    /// <summary>The UCUM code equivalent to a calendar keyword (year → a, month → mo...), or the unit itself.</summary>
    internal static string ToUcum(string unit) => unit switch
    {
        "year" => "a",
        "month" => "mo",
        "week" => "wk",
        "day" => "d",
        "hour" => "h",
        "minute" => "min",
        "second" => "s",
        "millisecond" => "ms",
        _ => unit,
    };

    /// <summary>The calendar step used when adding this quantity to a date/time; throws for non-time units.</summary>
    internal (decimal Amount, TemporalPrecision Unit) ToCalendarStep()
    {
        if (CalendarUnits.TryGetValue(Unit, out var p))
        {
            return (Unit == "week" ? Value * 7 : Value, p);
        }

        return Unit switch
        {
            "wk" => (Value * 7, TemporalPrecision.Day),
            "d" => (Value, TemporalPrecision.Day),
            "h" => (Value, TemporalPrecision.Hour),
            "min" => (Value, TemporalPrecision.Minute),
            "s" => (Value, TemporalPrecision.Second),
            "ms" => (Value, TemporalPrecision.Millisecond),
            _ => throw new FhirPathRuntimeError($"a quantity in '{Unit}' cannot be added to a date/time (use calendar durations such as 'year' or 'day')"),
        };
    }

    /// <summary>
    /// Compares two quantities, converting units with UCUM; null when the units are not comparable. Calendar years and months
    /// are not definite durations, so they only compare with each other (and, for equivalence, with UCUM a/mo).
    /// </summary>
    internal static int? Compare(FhirPathQuantity a, FhirPathQuantity b, bool forEquivalence = false)
    {
        if (a.Unit == b.Unit)
        {
            return a.Value.CompareTo(b.Value);
        }

        var aVague = a.Unit is "year" or "month";
        var bVague = b.Unit is "year" or "month";
        if (aVague && bVague)
        {
            var am = a.Unit == "year" ? a.Value * 12 : a.Value;
            var bm = b.Unit == "year" ? b.Value * 12 : b.Value;
            return am.CompareTo(bm);
        }

        if ((aVague || bVague) && !forEquivalence)
        {
            return null;
        }

        var ua = ToUcum(a.Unit);
        var ub = ToUcum(b.Unit);
        if (ua == ub)
        {
            return a.Value.CompareTo(b.Value);
        }

        if (UcumService.Default.TryCanonicalize(a.Value, ua, out var ca, out var cua)
            && UcumService.Default.TryCanonicalize(b.Value, ub, out var cb, out var cub)
            && cua == cub)
        {
            return ca.CompareTo(cb);
        }

        return null;
    }

    /// <summary>Converts to another unit (UCUM, calendar keywords mapped to their UCUM counterparts).</summary>
    internal bool TryConvert(string unit, out FhirPathQuantity result)
    {
        result = default;
        if (unit == Unit)
        {
            result = this;
            return true;
        }

        if (UcumService.Default.TryConvert(Value, ToUcum(Unit), ToUcum(unit), out var v))
        {
            result = new FhirPathQuantity(v, unit);
            return true;
        }

        return false;
    }

    /// <summary>Multiplication/division: units combine as UCUM terms, reduced to canonical form.</summary>
    internal static FhirPathQuantity? Multiply(FhirPathQuantity a, FhirPathQuantity b, bool divide)
    {
        var ua = ToUcum(a.Unit);
        var ub = ToUcum(b.Unit);
        if (!UcumService.Default.TryCanonicalize(a.Value, ua, out var ca, out var cua)
            || !UcumService.Default.TryCanonicalize(b.Value, ub, out var cb, out var cub))
        {
            return null;
        }

        if (divide && cb == 0)
        {
            return null;
        }

        var unit = cua == "1" ? (divide ? "/" + Wrap(cub) : cub) : cub == "1" ? cua : $"{Wrap(cua)}{(divide ? "/" : ".")}{Wrap(cub)}";
        if (divide && cua == cub)
        {
            unit = "1";
        }

        if (!UcumService.Default.TryCanonicalize(1m, unit, out var factor, out var canonical))
        {
            return new FhirPathQuantity(divide ? ca / cb : ca * cb, unit);
        }

        var value = (divide ? ca / cb : ca * cb) * factor;
        return new FhirPathQuantity(value, canonical);

        static string Wrap(string u) => u.Contains('.', StringComparison.Ordinal) || u.Contains('/', StringComparison.Ordinal) ? "(" + u + ")" : u;
    }

    /// <summary>FHIRPath literal form: <c>4.5 'mg'</c>, <c>3 days</c>.</summary>
    public override string ToString() =>
        Value.ToString(CultureInfo.InvariantCulture) + " " + (IsCalendar ? Unit : "'" + Unit + "'");
}
