using System.Globalization;
using System.Numerics;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

/// <summary>
/// For comparing a model read from an XML file with one read from the independently written JSON file of the same
/// example. Two spellings differ there without a difference in content, so a copy is normalized:
/// every narrative div is replaced by its <see cref="XmlCanonical"/> form (&amp;#39; vs ', CRLF vs LF), and every decimal
/// by its value (observation-decimal.json writes 1E-22 where the XML has 0.0000000000000000000001). Never used for a
/// model taken through our own converters: that must be equal without any normalization.
/// </summary>
internal static class NarrativeCanonicalizer
{
    public static Base Canonical(Base instance)
    {
        var copy = instance.DeepCopy();
        Visit(copy);
        return copy;
    }

    private static void Visit(Base b)
    {
        foreach (var child in b.Children())
        {
            switch (child.Value)
            {
                case XHtml { Value: { } markup } x:
                    x.Value = XmlCanonical.CanonicalizeXhtml(markup);
                    break;
                case FhirDecimal { Lexical: { } text } d:
                    d.ObjectValue = DecimalValue(text);
                    break;
                case Base nested:
                    Visit(nested);
                    break;
            }
        }
    }

    /// <summary>Digits without insignificant zeros and a power of ten: 1.0e0, 1.00 and 1 all give "1e0".</summary>
    public static string DecimalValue(string lexical)
    {
        var s = lexical.ToUpperInvariant();
        var exponent = 0;
        var e = s.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        var negative = s.StartsWith('-');
        s = s.TrimStart('-');
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            exponent -= s.Length - dot - 1;
            s = s.Remove(dot, 1);
        }

        var digits = BigInteger.Parse(s, CultureInfo.InvariantCulture);
        if (digits.IsZero)
        {
            return "0";
        }

        while (digits % 10 == 0)
        {
            digits /= 10;
            exponent++;
        }

        return (negative ? "-" : "") + digits.ToString(CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
