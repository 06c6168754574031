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

    private static int? Compare(object value, DataType limit)
    {
        switch (value)
        {
            case Quantity q when limit is Quantity lq:
                if (q.Code?.Value != lq.Code?.Value || q.System?.Value != lq.System?.Value)
                {
                    return null;
                }

                return Number(q.Value?.ObjectValue) is { } a && Number(lq.Value?.ObjectValue) is { } b ? a.CompareTo(b) : null;
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
