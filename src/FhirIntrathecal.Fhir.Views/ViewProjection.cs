using System.Text.Json;
using System.Text.RegularExpressions;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>
/// Which top-level properties of a resource the views can reach, so a job parses only those. A property is kept when its
/// name (or, for a choice element like <c>effectiveDateTime</c>, its stem <c>effective</c>; for <c>_x</c>, <c>x</c>)
/// appears as a word in any expression of a view of that type (filters, columns, forEach/repeat paths): a word match
/// errs only towards parsing more. A view using <c>children()</c>, <c>descendants()</c> or <c>resolve()</c> keeps
/// everything. Dropped properties are still scanned as JSON (a malformed line is still an error); what no view reads
/// is neither parsed into the model nor checked against it.
/// </summary>
internal sealed partial class ViewProjection
{
    private static readonly HashSet<string> Everything = new(["children", "descendants", "resolve"], StringComparer.Ordinal);

    private readonly bool _project;

    /// <summary>Words of the views by resource type; null = keep every property.</summary>
    private readonly Dictionary<string, HashSet<string>?> _words = new(StringComparer.Ordinal);

    /// <param name="views">The views of the job.</param>
    /// <param name="project">False: only tell the type, never leave a property out.</param>
    public ViewProjection(IEnumerable<ViewDefinition> views, bool project)
    {
        _project = project;
        foreach (var view in views.Where(_ => project))
        {
            var words = new HashSet<string>(StringComparer.Ordinal) { "id", "resourceType" };
            foreach (var text in view.Where.Select(w => w.Expression.Text).Concat(Texts(view.Root)))
            {
                words.UnionWith(Word().Matches(text).Select(m => m.Value));
            }

            var seen = _words.TryGetValue(view.Resource, out var known);
            var keepAll = words.Overlaps(Everything) || (seen && known is null);
            _words[view.Resource] = keepAll ? null : known is null ? words : [.. known, .. words];
        }
    }

    /// <summary>
    /// The resourceType of <paramref name="json"/> (null when it cannot be told: the full parse then says why) and, when
    /// some properties can be left out, the object with only the others (their bytes as they were); else null.
    /// </summary>
    public (string? Type, byte[]? Projected) Project(ReadOnlySpan<byte> json)
    {
        var ranges = new List<(string Name, int Start, int End)>();
        string? type = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var name = reader.GetString()!;
                if (!reader.Read())
                {
                    return (null, null);
                }

                if (name == "resourceType" && reader.TokenType == JsonTokenType.String)
                {
                    type = reader.GetString();
                    if (!_project)
                    {
                        return (type, null);
                    }
                }

                reader.Skip();
                ranges.Add((name, start, (int)reader.BytesConsumed));
            }

            // The rest of the line must be well-formed too (nothing after the object but white space).
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return (null, null);
        }

        if (type is null || !_words.TryGetValue(type, out var words) || words is null || ranges.Count == 0)
        {
            return (type, null);
        }

        var kept = ranges.Where(r => Reachable(r.Name, words)).ToList();
        if (kept.Count == ranges.Count)
        {
            return (type, null);
        }

        var projected = new byte[2 + kept.Sum(r => r.End - r.Start + 1)];
        var at = 0;
        projected[at++] = (byte)'{';
        foreach (var (_, start, end) in kept)
        {
            if (at > 1)
            {
                projected[at++] = (byte)',';
            }

            json[start..end].CopyTo(projected.AsSpan(at));
            at += end - start;
        }

        projected[at++] = (byte)'}';
        return (type, projected[..at]);
    }

    private static bool Reachable(string property, HashSet<string> words)
    {
        var name = property.StartsWith('_') ? property[1..] : property;
        if (words.Contains(name))
        {
            return true;
        }

        // A choice element: effectiveDateTime is reached by 'effective'.
        for (var i = 1; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && words.Contains(name[..i]))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Texts(ViewSelection selection) =>
        selection.Iterate.Select(e => e.Text)
            .Concat(selection.Columns.Select(c => c.Expression.Text))
            .Concat(selection.Selects.Concat(selection.UnionAll).SelectMany(Texts));

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();
}
