using System.Collections;
using System.Globalization;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>fixed[x] and pattern[x] semantics: exact equality, and "has at least these values" (lists: every pattern item matches some item).</summary>
internal static class ValueMatcher
{
    /// <summary>The instance has every value of the pattern (extra elements and repetitions allowed).</summary>
    public static bool MatchesPattern(object instance, object pattern) => Match(instance, pattern, exact: false);

    /// <summary>The instance is exactly the fixed value (element ids and extensions on the instance are not compared).</summary>
    public static bool MatchesFixed(object instance, object fixedValue) => Match(instance, fixedValue, exact: true);

    private static bool Match(object instance, object pattern, bool exact)
    {
        if (pattern is PrimitiveType pp)
        {
            var iv = instance is PrimitiveType ip ? ip.ObjectValue : instance;
            if (!PrimitiveEquals(iv, pp.ObjectValue))
            {
                return false;
            }

            return true;
        }

        if (pattern is not Base pb)
        {
            return PrimitiveEquals(instance is PrimitiveType p2 ? p2.ObjectValue : instance, pattern);
        }

        if (instance is not Base ib || !ib.TypeInfo.IsA(pb.TypeInfo) && !pb.TypeInfo.IsA(ib.TypeInfo))
        {
            return false;
        }

        foreach (var element in pb.TypeInfo.Elements)
        {
            var pv = pb.GetValue(element);
            var ie = ib.TypeInfo.GetElement(element.Name);
            var iv = ie is null ? null : ib.GetValue(ie);
            if (IsAbsent(pv))
            {
                if (exact && !IsAbsent(iv) && element.Name is not ("id" or "extension"))
                {
                    return false;
                }

                continue;
            }

            if (IsAbsent(iv))
            {
                return false;
            }

            if (pv is IList plist)
            {
                var ilist = (IList)iv!;
                if (exact && ilist.Count != plist.Count)
                {
                    return false;
                }

                for (var k = 0; k < plist.Count; k++)
                {
                    var item = plist[k]!;
                    if (exact ? !Match(ilist[k]!, item, true) : !AnyMatch(ilist, item))
                    {
                        return false;
                    }
                }
            }
            else if (!Match(iv!, pv!, exact))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyMatch(IList items, object pattern)
    {
        foreach (var item in items)
        {
            if (item is not null && Match(item, pattern, false))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAbsent(object? v) => v is null || v is IList { Count: 0 };

    private static bool PrimitiveEquals(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is string sa && b is string sb)
        {
            if (string.Equals(sa, sb, StringComparison.Ordinal))
            {
                return true;
            }

            // Decimals are kept as text: 1.0 and 1.00 are the same value for fixed/pattern purposes.
            return decimal.TryParse(sa, NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
                && decimal.TryParse(sb, NumberStyles.Float, CultureInfo.InvariantCulture, out var db) && da == db
                && IsNumeric(sa) && IsNumeric(sb);
        }

        return a.Equals(b);
    }

    private static bool IsNumeric(string s) => s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] == '-');
}
