using System.Globalization;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>
/// FHIR decimal keeps the exact text it was read with ("1.50" stays "1.50", "1e3" stays "1e3"), as the
/// specification requires precision to be preserved; <see cref="Value"/> parses it on demand.
/// </summary>
public sealed partial class FhirDecimal
{
    public FhirDecimal(decimal? value) => Value = value;

    /// <summary>Wraps an exact lexical form without parsing it (the serializers' path).</summary>
    public static FhirDecimal FromLexical(string lexical) => IsValidLexical(lexical)
        ? new() { ObjectValue = lexical }
        : throw new FormatException($"'{lexical}' is not a FHIR decimal.");

    /// <summary>The FHIR/JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    public static bool IsValidLexical(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
        }

        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
        {
            return false;
        }

        if (s[i++] != '0')
        {
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] == '.')
        {
            if (++i >= s.Length || !char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            if (i >= s.Length || !char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        return i == s.Length;
    }

    public decimal? Value
    {
        get => ObjectValue is string s && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        set => ObjectValue = value?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The exact text of the value.</summary>
    public string? Lexical => ObjectValue as string;

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static implicit operator FhirDecimal?(decimal? value) => value is null ? null : new FhirDecimal(value);
}
