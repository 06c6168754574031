using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Terminology;

/// <summary>
/// A local CodeSystem flattened for look-ups: every code with its parents (from nesting and the <c>parent</c> /
/// <c>subsumedBy</c> properties) and its property values, so is-a / descendent-of / = filters are set operations.
/// </summary>
internal sealed class CodeSystemIndex
{
    private readonly Dictionary<string, Concept> _concepts;

    private CodeSystemIndex(string url, bool complete, bool caseSensitive, Dictionary<string, Concept> concepts)
    {
        Url = url;
        IsComplete = complete;
        CaseSensitive = caseSensitive;
        _concepts = concepts;
    }

    public string Url { get; }

    /// <summary>content = complete: a code not listed is not in the system.</summary>
    public bool IsComplete { get; }

    public bool CaseSensitive { get; }

    public IEnumerable<string> Codes => _concepts.Keys;

    public static CodeSystemIndex Build(CodeSystem cs)
    {
        var caseSensitive = cs.CaseSensitive?.Value ?? true;
        var concepts = new Dictionary<string, Concept>(caseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        Add(cs.Concept, null);
        foreach (var c in concepts.Values)
        {
            foreach (var p in c.Properties)
            {
                if (p.Key is "parent" or "subsumedBy" && concepts.TryGetValue(p.Value, out var parent))
                {
                    c.Parents.Add(parent.Code);
                    parent.Children.Add(c.Code);
                }
            }
        }

        return new CodeSystemIndex(cs.Url?.Value ?? "", cs.Content?.Value is "complete" or null, caseSensitive, concepts);

        void Add(List<CodeSystem.ConceptDefinitionComponent> list, Concept? parent)
        {
            foreach (var c in list)
            {
                if (c.Code?.Value is not { } code)
                {
                    continue;
                }

                if (!concepts.TryGetValue(code, out var concept))
                {
                    concepts[code] = concept = new Concept(code);
                }

                foreach (var p in c.Property)
                {
                    if (p.Code?.Value is { } k && p.Value is PrimitiveType { ObjectValue: { } v })
                    {
                        concept.Properties.Add(new KeyValuePair<string, string>(k, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!));
                    }
                    else if (p.Code?.Value is { } k2 && p.Value is Coding { Code.Value: { } cv })
                    {
                        concept.Properties.Add(new KeyValuePair<string, string>(k2, cv));
                    }
                }

                if (parent is not null)
                {
                    concept.Parents.Add(parent.Code);
                    parent.Children.Add(code);
                }

                Add(c.Concept, concept);
            }
        }
    }

    public bool Contains(string code) => _concepts.ContainsKey(code);

    /// <summary>The code and all codes below it (is-a), or only those below (descendent-of).</summary>
    public IEnumerable<string> Descendants(string code, bool includeSelf)
    {
        if (!_concepts.TryGetValue(code, out var root))
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<Concept>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (!seen.Add(c.Code))
            {
                continue;
            }

            if (includeSelf || !ReferenceEquals(c, root))
            {
                yield return c.Code;
            }

            foreach (var child in c.Children)
            {
                if (_concepts.TryGetValue(child, out var cc))
                {
                    stack.Push(cc);
                }
            }
        }
    }

    /// <summary>Codes whose property equals the value (<c>concept</c> as property means the code itself).</summary>
    public IEnumerable<string> WithProperty(string property, string value) => _concepts.Values
        .Where(c => c.Properties.Any(p => p.Key == property && string.Equals(p.Value, value, StringComparison.Ordinal)))
        .Select(c => c.Code);

    private sealed class Concept(string code)
    {
        public string Code { get; } = code;

        public List<string> Parents { get; } = [];

        public List<string> Children { get; } = [];

        public List<KeyValuePair<string, string>> Properties { get; } = [];
    }
}
