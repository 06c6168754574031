using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// The SQL on FHIR v2 additions to FHIRPath (specification "ViewDefinition", section "Required additional functions"):
/// <c>getResourceKey()</c> and <c>getReferenceKey([type])</c>. Keys are <c>Type/id</c>, so a resource key equals the key
/// of every relative or absolute reference to it and keys of different resource types never collide.
/// </summary>
internal static partial class Functions
{
    private static void RegisterSqlOnFhir(Register add)
    {
        // getResourceKey(): "returns an opaque value to be used as the primary key for the row associated with the resource".
        add("getResourceKey", 0, 0, c =>
        {
            var result = new List<object>();
            foreach (var item in c.Input)
            {
                if (item is Resource { Id: { Length: > 0 } id } r)
                {
                    result.Add(r.TypeInfo.Name + "/" + id);
                }
            }

            return result;
        });

        // getReferenceKey([resource type]): "returns an opaque value that represents the database key of the row being
        // referenced"; with a type argument, references to other types give empty.
        add("getReferenceKey", 0, 1, c =>
        {
            var wanted = c.ArgCount == 1 ? c.Node.TypeArgument!.Name : null;
            var result = new List<object>();
            foreach (var item in c.Input)
            {
                if (item is Reference { Reference_.ObjectValue: string reference } && ReferenceKey(reference) is { } key
                    && (wanted is null || key.AsSpan(0, key.IndexOf('/')).SequenceEqual(wanted)))
                {
                    result.Add(key);
                }
            }

            return result;
        }, typeArg: true);
    }

    /// <summary><c>Type/id</c> of a relative or absolute literal reference (a version suffix dropped); null for others (#contained, urn:).</summary>
    private static string? ReferenceKey(string reference)
    {
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var path = history >= 0 ? reference[..history] : reference;
        var idSlash = path.LastIndexOf('/');
        if (idSlash <= 0 || idSlash == path.Length - 1)
        {
            return null;
        }

        var typeSlash = path.LastIndexOf('/', idSlash - 1);
        var type = path[(typeSlash + 1)..idSlash];
        return ModelInfo.GetResourceType(type) is null ? null : type + "/" + path[(idSlash + 1)..];
    }
}
