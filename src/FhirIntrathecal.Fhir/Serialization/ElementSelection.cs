using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization;

/// <summary>
/// The top-level elements a caller reads, by resource type: only those become model objects when a resource is parsed
/// with <see cref="Json.FhirJsonParser.Parse(ReadOnlySpan{byte}, ElementSelection, ParserOptions?, CancellationToken)"/>;
/// the others are still checked as the full parse checks them (names, shapes, primitive values), without being built.
/// A resource type not named here is parsed whole; so is everything below a read element. Thread-safe.
/// </summary>
public sealed class ElementSelection
{
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _namesByType;
    private readonly ConcurrentDictionary<FhirTypeInfo, bool[]?> _reads = new();

    /// <param name="namesByType">By resource type name, the element names read (<c>effective</c> for <c>effective[x]</c>).</param>
    public ElementSelection(IReadOnlyDictionary<string, IReadOnlySet<string>> namesByType)
    {
        ArgumentNullException.ThrowIfNull(namesByType);
        _namesByType = namesByType;
    }

    /// <summary>By element index, whether the element of this resource type is read; null when every element is.</summary>
    internal bool[]? Reads(FhirTypeInfo resourceType) => _reads.GetOrAdd(resourceType, t =>
    {
        if (!_namesByType.TryGetValue(t.Name, out var names))
        {
            return null;
        }

        var reads = new bool[t.Elements.Max(e => e.Index) + 1];
        foreach (var element in t.Elements)
        {
            reads[element.Index] = names.Contains(element.Name);
        }

        return reads;
    });
}
