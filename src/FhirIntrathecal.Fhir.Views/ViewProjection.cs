using System.Text.Json;
using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>
/// Which top-level elements of a resource the views can reach, so a job builds only those (<see cref="ElementSelection"/>).
/// An element is kept when its name (<c>effective</c> for <c>effective[x]</c>) appears as a word in any expression of
/// a view of that type (filters, columns, forEach/repeat paths): a word match errs only towards building more. A view
/// using <c>children()</c>, <c>descendants()</c> or <c>resolve()</c> keeps everything. What is not kept is still checked
/// against the model, without being built (the strict skim): an element no view reads is an error all the same.
/// </summary>
public sealed partial class ViewProjection
{
    private static readonly HashSet<string> Everything = new(["children", "descendants", "resolve"], StringComparer.Ordinal);

    public ViewProjection(IEnumerable<ViewDefinition> views)
    {
        // Words of the views by resource type; null = keep every element.
        var words = new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            var these = new HashSet<string>(StringComparer.Ordinal) { "id" };
            foreach (var text in view.Where.Select(w => w.Expression.Text).Concat(Texts(view.Root)))
            {
                these.UnionWith(Word().Matches(text).Select(m => m.Value));
            }

            var seen = words.TryGetValue(view.Resource, out var known);
            var keepAll = these.Overlaps(Everything) || (seen && known is null);
            words[view.Resource] = keepAll ? null : known is null ? these : [.. known, .. these];
        }

        Selection = new ElementSelection(
            words.Where(w => w.Value is not null).ToDictionary(w => w.Key, w => (IReadOnlySet<string>)w.Value!, StringComparer.Ordinal));
    }

    public ElementSelection Selection { get; }

    /// <summary>The resourceType of <paramref name="json"/>, or null when it cannot be told (the parse then says why).</summary>
    public static string? TypeOf(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("resourceType"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the parse reports where.
        }

        return null;
    }

    private static IEnumerable<string> Texts(ViewSelection selection) =>
        selection.Iterate.Select(e => e.Text)
            .Concat(selection.Columns.Select(c => c.Expression.Text))
            .Concat(selection.Selects.Concat(selection.UnionAll).SelectMany(Texts));

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();
}
