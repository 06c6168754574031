using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>A JSON property name and its <c>_name</c> companion, encoded once.</summary>
internal readonly record struct ElementNames(JsonEncodedText Name, JsonEncodedText Companion);

/// <summary>Pre-encoded property names per element (and per chosen type for choice elements), cached on the metadata.</summary>
internal static class Names
{
    private static readonly ConcurrentDictionary<FhirTypeInfo, JsonEncodedText> TypeNames = new();

    public static ElementNames Of(ElementInfo element)
    {
        if (element.SerializerCache is Cache c)
        {
            return c.Plain;
        }

        return Build(element).Plain;
    }

    public static ElementNames Of(ElementInfo element, FhirTypeInfo chosen)
    {
        var cache = element.SerializerCache as Cache ?? Build(element);
        return element.IsChoice ? cache.ByType[chosen] : cache.Plain;
    }

    public static JsonEncodedText TypeName(FhirTypeInfo type) => TypeNames.GetOrAdd(type, t => JsonEncodedText.Encode(t.Name));

    private static Cache Build(ElementInfo element)
    {
        var cache = new Cache(
            Encode(element.Name),
            element.IsChoice ? element.Types.ToFrozenDictionary(t => t, t => Encode(element.Name + t.ChoiceSuffix)) : FrozenDictionary<FhirTypeInfo, ElementNames>.Empty);
        element.SerializerCache = cache;
        return cache;
    }

    private static ElementNames Encode(string name) => new(JsonEncodedText.Encode(name), JsonEncodedText.Encode("_" + name));

    private sealed record Cache(ElementNames Plain, FrozenDictionary<FhirTypeInfo, ElementNames> ByType);
}
