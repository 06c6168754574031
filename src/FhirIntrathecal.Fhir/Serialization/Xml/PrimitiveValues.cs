using System.Globalization;
using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Turns the text of a <c>value</c> attribute into what a primitive stores (bool, int, or the exact lexical string)
/// and checks lexical forms against the R4 regular expressions of each primitive type.
/// </summary>
internal static partial class PrimitiveValues
{
    /// <summary>
    /// Converts the lexical form for the primitive type <paramref name="fhirType"/>. Returns null with an
    /// <paramref name="error"/> when the text cannot be held (bad boolean/integer/decimal, empty); returns the text
    /// with a <paramref name="warning"/> when it breaks the type's pattern but can be kept as is (lossless, like the
    /// JSON reader, which keeps such strings too).
    /// </summary>
    public static object? Convert(FhirTypeInfo type, string text, bool validate, out string? error, out string? warning)
    {
        error = null;
        warning = null;
        var fhirType = type.Name;
        // Dispatch on the storage kind (an enum) first: only string-held types need their name.
        switch (type.PrimitiveKind)
        {
            case PrimitiveKind.Boolean:
                if (text == "true")
                {
                    return true;
                }

                if (text == "false")
                {
                    return false;
                }

                error = $"'{Shorten(text)}' is not a valid boolean (expected 'true' or 'false').";
                return null;
            case PrimitiveKind.Integer:
                // Integers are stored as int, so the text must be one whatever the validation setting.
                if (!IntegerRegex().IsMatch(text) || !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    error = $"'{Shorten(text)}' is not a valid {fhirType} (a 32-bit integer).";
                    return null;
                }

                if ((fhirType == "positiveInt" && i < 1) || (fhirType == "unsignedInt" && i < 0) || (fhirType != "positiveInt" && text[0] == '+'))
                {
                    error = $"'{text}' is not a valid {fhirType}.";
                    return null;
                }

                return i;
            case PrimitiveKind.Decimal:
                // Kept verbatim, so it must stay a valid JSON number when written as JSON: always checked.
                if (!FhirDecimal.IsValidLexical(text))
                {
                    error = $"'{Shorten(text)}' is not a valid decimal.";
                    return null;
                }

                return text;
        }

        if (text.Length == 0)
        {
            error = "A value attribute must not be empty (FHIR forbids empty strings).";
            return null;
        }

        if (validate && !IsValidLexical(fhirType, text))
        {
            warning = $"'{Shorten(text)}' does not match the {fhirType} pattern; kept as written.";
        }

        return text;
    }

    /// <summary>The lexical check of a string-stored primitive type; types without a pattern accept anything non-empty.</summary>
    public static bool IsValidLexical(string fhirType, string text) => fhirType switch
    {
        "decimal" => FhirDecimal.IsValidLexical(text),
        "date" => DateRegex().IsMatch(text),
        "dateTime" => DateTimeRegex().IsMatch(text),
        "instant" => InstantRegex().IsMatch(text),
        "time" => TimeRegex().IsMatch(text),
        "code" => IsCode(text),
        "id" => IdRegex().IsMatch(text),
        "oid" => OidRegex().IsMatch(text),
        "uuid" => UuidRegex().IsMatch(text),
        "uri" or "url" or "canonical" => !HasWhiteSpace(text),
        "base64Binary" => Base64Regex().IsMatch(text),
        "string" or "markdown" => !string.IsNullOrWhiteSpace(text),
        _ => true,
    };

    /// <summary>[^\s]+(\s[^\s]+)*: no leading, trailing or doubled whitespace.</summary>
    private static bool IsCode(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && char.IsWhiteSpace(text[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex(@"^[+-]?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerRegex();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeRegex();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantRegex();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeRegex();

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();

    [GeneratedRegex(@"^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$", RegexOptions.CultureInvariant)]
    private static partial Regex OidRegex();

    [GeneratedRegex(@"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidRegex();

    [GeneratedRegex(@"^(\s*([0-9a-zA-Z\+/=]){4}\s*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Regex();
}
