using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>Pulled resources in arrival order, findable by their Bundle fullUrl (<c>urn:uuid:…</c>) and by <c>Type/id</c>.</summary>
internal sealed class ReferenceIndex
{
    private readonly Dictionary<string, Resource> _byKey = new(StringComparer.Ordinal);

    public ReferenceIndex(IEnumerable<(Resource Resource, string? FullUrl)> resources)
    {
        foreach (var (r, fullUrl) in resources)
        {
            All.Add(r);
            if (fullUrl is not null)
            {
                _byKey[fullUrl] = r;
            }

            if (r.Id is { } id)
            {
                _byKey[$"{r.TypeInfo.Name}/{id}"] = r;
            }
        }
    }

    public List<Resource> All { get; } = [];

    public T? Resolve<T>(Reference? reference)
        where T : Resource => reference?.Reference_?.Value is { } key && _byKey.TryGetValue(key, out var r) ? r as T : null;
}
