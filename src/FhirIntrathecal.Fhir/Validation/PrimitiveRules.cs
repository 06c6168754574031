using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Lexical rules of the R4 primitive types (the regexes of the specification), ranges of the integer types, and real
/// calendar dates (the regexes accept 2023-02-30). Instances built in code have not been through a parser, so these run
/// on every primitive.
/// </summary>
internal static partial class PrimitiveRules
{
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static void Validate(PrimitiveType p, in Scope scope)
    {
        var value = p.ObjectValue;
        if (value is null)
        {
            return;
        }

        var type = p.TypeInfo.Name;
        var error = value switch
        {
            int i => type switch
            {
                "positiveInt" when i < 1 => $"{i} is not a positiveInt (must be at least 1)",
                "unsignedInt" when i < 0 => $"{i} is not an unsignedInt (must not be negative)",
                _ => null,
            },
            string s => CheckString(type, s),
            _ => null,
        };
        if (error is not null)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.PrimitiveFormat, error + ".");
        }

        if (type == "xhtml" && value is string xhtml)
        {
            NarrativeRules.Validate(xhtml, scope);
        }

        if (type == "string" && value is string text && text.Contains('<', StringComparison.Ordinal) && HtmlTag().IsMatch(text))
        {
            var secure = scope.Run.Validator.Settings.SecurityChecks;
            scope.Report(secure ? IssueSeverity.Error : IssueSeverity.Information, IssueTypes.Security, MessageIds.StringHtml, secure
                ? "The string value contains text that looks like embedded HTML tags, which are not allowed for security reasons in this context."
                : "The string value contains text that looks like embedded HTML tags. If this content is rendered to HTML without appropriate post-processing, it may be a security risk.");
        }
    }

    private static string? CheckString(string type, string s)
    {
        if (s.Length == 0)
        {
            return $"An empty string is not a valid {type}";
        }

        return type switch
        {
            "decimal" => FhirDecimal.IsValidLexical(s) ? null : $"'{s}' is not a valid decimal",
            "date" => DatePattern().IsMatch(s) && RealDate(s) ? null : $"'{s}' is not a valid date (YYYY, YYYY-MM or YYYY-MM-DD)",
            "dateTime" => DateTimePattern().IsMatch(s) && RealDate(s) ? null : $"'{s}' is not a valid dateTime",
            "instant" => InstantPattern().IsMatch(s) && RealDate(s) ? null : $"'{s}' is not a valid instant (a full date-time with time zone)",
            "time" => TimePattern().IsMatch(s) ? null : $"'{s}' is not a valid time (hh:mm:ss)",
            "code" => CodePattern().IsMatch(s) ? null : $"'{s}' is not a valid code (no leading, trailing or double whitespace)",
            "id" => IdPattern().IsMatch(s) ? null : $"'{s}' is not a valid id",
            "oid" => OidPattern().IsMatch(s) ? null : $"'{s}' is not a valid oid (urn:oid:...)",
            "uuid" => UuidPattern().IsMatch(s) ? null : $"'{s}' is not a valid uuid (urn:uuid:, lower case)",
            "uri" or "url" or "canonical" => TextScan.ContainsWhiteSpace(s) ? $"'{s}' is not a valid {type} (whitespace)" : null,
            "base64Binary" => TextScan.TryGetBase64DecodedLength(s, out _) ? null : "The value is not valid base64",
            "string" or "markdown" => s.Length > 1048576 ? "A string may not be longer than 1 MB" : null,
            _ => null,
        };
    }

    /// <summary>The date part names a day that exists (the regexes allow 02-30).</summary>
    private static bool RealDate(string s)
    {
        if (s.Length < 10)
        {
            return true;
        }

        // The patterns have already fixed the shape (digits at 0-3, 5-6 and 8-9, month 01-12, year 0001-9999).
        var year = Digits(s, 0, 4);
        var month = Digits(s, 5, 2);
        var day = Digits(s, 8, 2);
        return year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static int Digits(string s, int start, int count)
    {
        var n = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return -1;
            }

            n = (n * 10) + d;
        }

        return n;
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    /// <summary>An opening or closing tag of a common HTML element (what a renderer would execute or lay out).</summary>
    [GeneratedRegex(@"</?(a|abbr|applet|b|base|body|br|button|div|em|embed|font|form|frame|h[1-6]|head|html|i|iframe|img|input|li|link|meta|object|ol|p|pre|script|span|strong|style|svg|table|tbody|td|th|thead|tr|u|ul)(\s[^<>]*)?/?>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    // The specification's [^\s]+(\s[^\s]+)* with XML-Schema/Java whitespace: .NET's \s would also match U+00A0.
    [GeneratedRegex(@"^[^ \t\r\n]+([ \t\r\n][^ \t\r\n]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$", RegexOptions.CultureInvariant)]
    private static partial Regex OidPattern();

    [GeneratedRegex(@"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();
}
