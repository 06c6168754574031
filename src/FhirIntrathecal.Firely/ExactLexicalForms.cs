using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Serialization;
using F = Hl7.Fhir.Model;

namespace FhirIntrathecal.Firely;

/// <summary>
/// What Firely's POCOs cannot hold on their own and FHIR JSON can: a decimal's lexical form when .NET's
/// <see cref="decimal"/> does not give it back (<c>1E-22</c>, <c>1.000000000000000000E-245</c>), and base64 text with
/// whitespace (Firely's writer re-encodes it). The original decimal text rides along as an annotation (dropped as soon
/// as the value is changed) and the writer below puts both back verbatim.
/// </summary>
internal static partial class ExactLexicalForms
{
    /// <summary>The lexical form a decimal had in our model, valid while the Firely value still equals <see cref="Value"/>.</summary>
    private sealed record DecimalText(string Text, decimal Value);

    /// <summary>
    /// Annotates the decimals of a freshly converted Firely resource whose JSON text .NET would not reproduce.
    /// <paramref name="json"/> is what Firely read: its number tokens and Firely's number primitives are in the same
    /// (document) order. Costs one token scan, and a tree walk only when such a decimal exists.
    /// </summary>
    public static void Annotate(F.Resource resource, ReadOnlySpan<byte> json)
    {
        List<(int Index, string Text)>? unfaithful = null;
        var reader = new Utf8JsonReader(json);
        var index = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                continue;
            }

            if (!reader.TryGetDecimal(out var d) || !Reproduces(d, reader.ValueSpan))
            {
                (unfaithful ??= []).Add((index, Encoding.UTF8.GetString(reader.ValueSpan)));
            }

            index++;
        }

        if (unfaithful is null)
        {
            return;
        }

        var numbers = new List<F.PrimitiveType>();
        CollectNumbers(resource, numbers);
        foreach (var (i, text) in unfaithful)
        {
            if (i < numbers.Count && numbers[i] is F.FhirDecimal { JsonValue: decimal value } target)
            {
                target.AddAnnotation(new DecimalText(text, value));
            }
        }
    }

    private static bool Reproduces(decimal value, ReadOnlySpan<byte> text)
    {
        Span<byte> buffer = stackalloc byte[64];
        return value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture) && buffer[..written].SequenceEqual(text);
    }

    /// <summary>Firely's integer and decimal primitives in document order (the order its writer and ours use).</summary>
    private static void CollectNumbers(F.Base node, List<F.PrimitiveType> numbers)
    {
        if (node is F.FhirDecimal or F.Integer or F.PositiveInt or F.UnsignedInt)
        {
            numbers.Add((F.PrimitiveType)node);
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            if (value is F.Base child)
            {
                CollectNumbers(child, numbers);
            }
            else if (value is IEnumerable<F.Base> children)
            {
                foreach (var item in children)
                {
                    CollectNumbers(item, numbers);
                }
            }
        }
    }

    /// <summary>Firely's JSON writer, putting back the lexical forms kept above.</summary>
    internal sealed class Serializer() : BaseFhirJsonSerializer(F.ModelInfo.ModelInspector)
    {
        protected override void SerializePrimitiveValue(F.PrimitiveType value, Utf8JsonWriter writer)
        {
            switch (value)
            {
                case F.FhirDecimal { JsonValue: decimal current } d when d.Annotations(typeof(DecimalText)).FirstOrDefault() is DecimalText kept && current == kept.Value && current.Scale == kept.Value.Scale:
                    writer.WriteRawValue(kept.Text, skipInputValidation: true);
                    return;
                case F.FhirDecimal { JsonValue: string text } when JsonNumber().IsMatch(text):
                    // Out of .NET's decimal range: Firely keeps the text, FHIR JSON wants it as a number.
                    writer.WriteRawValue(text, skipInputValidation: true);
                    return;
                case F.Base64Binary { JsonValue: string text }:
                    writer.WriteStringValue(text);
                    return;
                default:
                    base.SerializePrimitiveValue(value, writer);
                    return;
            }
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
