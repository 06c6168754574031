using System.Globalization;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

internal sealed class FixedAssertion(DataType expected) : ElementAssertion
{
    public override void Validate(object value, in Scope scope)
    {
        if (!ValueMatcher.MatchesFixed(value, expected))
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.FixedMismatch,
                $"Value must be exactly {Describe.Value(expected)} (fixed by {scope.Node.Id}), found {Describe.Value(value)}.");
        }
    }
}

internal sealed class PatternAssertion(DataType pattern) : ElementAssertion
{
    public override void Validate(object value, in Scope scope)
    {
        if (!ValueMatcher.MatchesPattern(value, pattern))
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.PatternMismatch,
                $"Value must match the pattern {Describe.Value(pattern)} of {scope.Node.Id}, found {Describe.Value(value)}.");
        }
    }
}

internal sealed class MaxLengthAssertion(int maxLength) : ElementAssertion
{
    public override void Validate(object value, in Scope scope)
    {
        if (value is PrimitiveType { ObjectValue: string s } && s.Length > maxLength)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.MaxLength,
                $"Value is {s.Length} characters long; at most {maxLength} are allowed.");
        }
    }
}

/// <summary>The <c>minLength</c> extension on an ElementDefinition: a string at least that long.</summary>
internal sealed class MinLengthAssertion(int minLength) : ElementAssertion
{
    public const string ExtensionUrl = "http://hl7.org/fhir/StructureDefinition/minLength";

    public override void Validate(object value, in Scope scope)
    {
        if (((value as PrimitiveType)?.ObjectValue as string ?? value as string) is { } s && s.Length < minLength)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.MinLength,
                $"Value '{s}' is shorter than permitted minimum length of {minLength}.");
        }
    }
}

/// <summary>minValue[x]/maxValue[x] for integers, decimals, dates/times (compared as prefix-aligned text) and Quantity values.</summary>
internal sealed class RangeAssertion(DataType limit, bool isMin) : ElementAssertion
{
    public override void Validate(object value, in Scope scope)
    {
        var cmp = Compare(value, limit);
        if (cmp is null)
        {
            return;
        }

        if (isMin ? cmp < 0 : cmp > 0)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, isMin ? MessageIds.MinValue : MessageIds.MaxValue,
                $"Value {Describe.Value(value)} is {(isMin ? "below the minimum" : "above the maximum")} {Describe.Value(limit)}.");
        }
    }

    private int? Compare(object value, DataType limit)
    {
        switch (value)
        {
            case Quantity q when limit is Quantity lq:
                if (Number(q.Value?.ObjectValue) is not { } a || Number(lq.Value?.ObjectValue) is not { } b)
                {
                    return null;
                }

                if (q.Code?.Value == lq.Code?.Value && q.System?.Value == lq.System?.Value)
                {
                    return a.CompareTo(b);
                }

                // Different UCUM units of one dimension compare after conversion (the reference does the same: "after UCUM conversion").
                return q.System?.Value == Ucum && lq.System?.Value == Ucum && q.Code?.Value is { } from && lq.Code?.Value is { } to
                    && Terminology.Ucum.UcumService.Default.TryConvert(a, from, to, out var converted) ? converted.CompareTo(b) : null;
            case PrimitiveType { ObjectValue: string when } p when limit is Duration d && p.TypeInfo.Name is "date" or "dateTime" or "instant":
                // A Duration limit on a date is relative to now: minValue 100 a = no later than 100 years ago.
                return DateLimit(d, now: DateTimeOffset.UtcNow) is { } bound && DateTimeOffset.TryParse(when.Length == 4 ? when + "-01-01" : when.Length == 7 ? when + "-01" : when,
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.CompareTo(bound) : null;
            case PrimitiveType p when limit is PrimitiveType lp:
                if (p.ObjectValue is int or string && Number(p.ObjectValue) is { } x && Number(lp.ObjectValue) is { } y && p.TypeInfo.PrimitiveKind is PrimitiveKind.Integer or PrimitiveKind.Decimal)
                {
                    return x.CompareTo(y);
                }

                if (p.ObjectValue is string ds && lp.ObjectValue is string ls)
                {
                    // Dates, dateTimes, instants and times sort lexically when compared on their common precision.
                    var n = Math.Min(ds.Length, ls.Length);
                    return string.CompareOrdinal(ds[..n], ls[..n]);
                }

                return null;
            default:
                return null;
        }
    }

    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>Now minus the duration (a minValue means "at least this long ago"; a maxValue limit adds it, see below).</summary>
    private DateTimeOffset? DateLimit(Duration d, DateTimeOffset now)
    {
        if (Number(d.Value?.ObjectValue) is not { } amount || d.Code?.Value is not { } unit)
        {
            return null;
        }

        var signed = isMin ? -amount : amount;
        try
        {
            return unit switch
            {
                "a" => now.AddYears((int)signed),
                "mo" => now.AddMonths((int)signed),
                "wk" => now.AddDays((double)signed * 7),
                "d" => now.AddDays((double)signed),
                "h" => now.AddHours((double)signed),
                "min" => now.AddMinutes((double)signed),
                "s" => now.AddSeconds((double)signed),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static decimal? Number(object? v) => v switch
    {
        int i => i,
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}

/// <summary>Short renderings of values for messages.</summary>
internal static class Describe
{
    public static string Value(object? v) => v switch
    {
        null => "nothing",
        PrimitiveType p => $"'{p.ToLexical()}'",
        Coding c => $"{c.System?.Value}#{c.Code?.Value}",
        CodeableConcept cc => "{" + string.Join(", ", cc.Coding.Select(c => Value(c))) + (cc.Text?.Value is { } t ? $" \"{t}\"" : "") + "}",
        Quantity q => $"{q.Value?.ObjectValue} {q.Code?.Value ?? q.Unit?.Value}",
        Base b => b.TypeInfo.Name,
        string s => $"'{s}'",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}
