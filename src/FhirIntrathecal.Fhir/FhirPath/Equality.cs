using System.Globalization;
using System.Text;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>FHIRPath equality (=, three-valued), equivalence (~, two-valued) and ordering of items and collections.</summary>
internal static class Equality
{
    /// <summary>Collection equality: empty when either side is empty; ordered pairwise; empty when an item pair is not comparable.</summary>
    public static bool? CollectionEquals(IReadOnlyList<object> a, IReadOnlyList<object> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return null;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        bool? result = true;
        for (var i = 0; i < a.Count; i++)
        {
            var eq = ItemEquals(a[i], b[i]);
            if (eq == false)
            {
                return false;
            }

            if (eq is null)
            {
                result = null;
            }
        }

        return result;
    }

    /// <summary>Collection equivalence: both empty → true; order-independent; never empty.</summary>
    public static bool CollectionEquivalent(IReadOnlyList<object> a, IReadOnlyList<object> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        var used = new bool[b.Count];
        foreach (var x in a)
        {
            var found = false;
            for (var j = 0; j < b.Count; j++)
            {
                if (!used[j] && ItemEquivalent(x, b[j]))
                {
                    used[j] = true;
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Equality of two items: null when unknown (date/time precision, incomparable quantities).</summary>
    public static bool? ItemEquals(object a, object b)
    {
        var x = Values.ToSystem(a);
        var y = Values.ToSystem(b);
        if (x is null || y is null)
        {
            return x is null && y is null && a is Base ba && b is Base bb ? ba.IsExactly(bb) : null;
        }

        switch (x)
        {
            case string s when y is string t:
                return s == t;
            case bool p when y is bool q:
                return p == q;
            case long or decimal when y is long or decimal:
                return ToDecimal(x) == ToDecimal(y);
            case FhirPathTemporal ta when y is FhirPathTemporal tb:
                if (ta is FhirPathTime != tb is FhirPathTime)
                {
                    return false;
                }

                var c = FhirPathTemporal.Compare(Widen(ta, tb), Widen(tb, ta));
                return c is null ? null : c == 0;
            case FhirPathQuantity qa when y is FhirPathQuantity qb:
                var qc = FhirPathQuantity.Compare(qa, qb);
                return qc is null ? null : qc == 0;
            case Base ca when y is Base cb:
                return StructurallyEqual(ca, cb, equivalent: false);
            default:
                return false;
        }
    }

    public static bool ItemEquivalent(object a, object b)
    {
        var x = Values.ToSystem(a);
        var y = Values.ToSystem(b);
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        switch (x)
        {
            case string s when y is string t:
                return NormalizeString(s) == NormalizeString(t);
            case bool p when y is bool q:
                return p == q;
            case long or decimal when y is long or decimal:
                var dx = ToDecimal(x);
                var dy = ToDecimal(y);
                var scale = Math.Min(Scale(dx), Scale(dy));
                return Math.Round(dx, scale, MidpointRounding.AwayFromZero) == Math.Round(dy, scale, MidpointRounding.AwayFromZero);
            case FhirPathTemporal ta when y is FhirPathTemporal tb:
                return FhirPathTemporal.Compare(Widen(ta, tb), Widen(tb, ta)) == 0;
            case FhirPathQuantity qa when y is FhirPathQuantity qb:
                if (qa.Unit == qb.Unit || FhirPathQuantity.ToUcum(qa.Unit) == FhirPathQuantity.ToUcum(qb.Unit))
                {
                    return ItemEquivalent(qa.Value, qb.Value);
                }

                // Equivalence compares at the precision of the less precise side, after converting to the same unit.
                return qb.TryConvert(qa.Unit, out var converted) ? ItemEquivalent(qa.Value, converted.Value) : FhirPathQuantity.Compare(qa, qb, forEquivalence: true) == 0;
            case Base ca when y is Base cb:
                return StructurallyEqual(ca, cb, equivalent: true);
            default:
                return false;
        }
    }

    /// <summary>
    /// Ordering for &lt; &gt; &lt;= &gt;=: null when not comparable (precision, units); an error when the types cannot be ordered.
    /// </summary>
    public static int? Compare(object x, object y)
    {
        switch (x)
        {
            case string s when y is string t:
                return Math.Sign(string.CompareOrdinal(s, t));
            case long or decimal when y is long or decimal:
                return ToDecimal(x).CompareTo(ToDecimal(y));
            case FhirPathTemporal ta when y is FhirPathTemporal tb && ta is FhirPathTime == tb is FhirPathTime:
                return FhirPathTemporal.Compare(Widen(ta, tb), Widen(tb, ta));
            case FhirPathQuantity qa when y is FhirPathQuantity qb:
                return FhirPathQuantity.Compare(qa, qb);
            default:
                throw new FhirPathRuntimeError($"cannot compare {Typing.TypeName(x)} with {Typing.TypeName(y)}");
        }
    }

    public static decimal ToDecimal(object o) => o switch
    {
        long l => l,
        decimal d => d,
        _ => throw new FhirPathRuntimeError($"a number is expected, not {Typing.TypeName(o)}"),
    };

    public static int Scale(decimal d) => (decimal.GetBits(d)[3] >> 16) & 0xFF;

    /// <summary>A Date compared with a DateTime is compared as a DateTime.</summary>
    private static FhirPathTemporal Widen(FhirPathTemporal a, FhirPathTemporal other) =>
        a is FhirPathDate d && other is FhirPathDateTime ? d.ToDateTime() : a;

    private static string NormalizeString(string s)
    {
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static bool StructurallyEqual(Base a, Base b, bool equivalent)
    {
        if (!ReferenceEquals(a.TypeInfo, b.TypeInfo) && !equivalent)
        {
            return false;
        }

        var ca = new List<ElementValue>();
        var cb = new List<ElementValue>();
        foreach (var c in a.Children())
        {
            if (!equivalent || c.Element.Name != "id")
            {
                ca.Add(c);
            }
        }

        foreach (var c in b.Children())
        {
            if (!equivalent || c.Element.Name != "id")
            {
                cb.Add(c);
            }
        }

        if (ca.Count != cb.Count)
        {
            return false;
        }

        for (var i = 0; i < ca.Count; i++)
        {
            if (ca[i].Element.Name != cb[i].Element.Name)
            {
                return false;
            }

            var same = equivalent ? ItemEquivalent(ca[i].Value, cb[i].Value) : ItemEquals(ca[i].Value, cb[i].Value) == true;
            if (!same)
            {
                return false;
            }
        }

        return true;
    }
}
