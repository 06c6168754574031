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
            var result = new List<object>(c.Input.Count);
            for (var i = 0; i < c.Input.Count; i++)
            {
                if (ResourceKey(c.Input[i]) is { } key)
                {
                    result.Add(key);
                }
            }

            return result;
        });

        // getReferenceKey([resource type]): "returns an opaque value that represents the database key of the row being
        // referenced"; with a type argument, references to other types give empty.
        add("getReferenceKey", 0, 1, c =>
        {
            if (c.Input.Count == 1)
            {
                return ReferenceKey(c.Node, c.Input[0]) is { } only ? [only] : [];
            }

            var result = new List<object>();
            for (var i = 0; i < c.Input.Count; i++)
            {
                if (ReferenceKey(c.Node, c.Input[i]) is { } key)
                {
                    result.Add(key);
                }
            }

            return result;
        }, typeArg: true);
    }

    /// <summary>The key of a resource with an id, else null.</summary>
    private static string? ResourceKey(object item) => item is Resource { Id: { Length: > 0 } id } r ? r.TypeInfo.Name + "/" + id : null;

    /// <summary>The key a Reference item refers to (of the type the call names, if it names one), else null.</summary>
    private static string? ReferenceKey(FunctionNode call, object item) =>
        item is Reference { Reference_.ObjectValue: string reference } ? ReferenceKey(reference, call.Arguments.Length == 1 ? call.TypeArgument!.Name : null) : null;

    /// <summary>
    /// <c>Type/id</c> of a relative or absolute literal reference (a version suffix dropped); null for others (#contained,
    /// urn:) and, when <paramref name="wanted"/> is given, for references to another type. A relative reference without
    /// a version is its own key (nothing allocated).
    /// </summary>
    private static string? ReferenceKey(string reference, string? wanted)
    {
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var path = history >= 0 ? reference.AsSpan(0, history) : reference.AsSpan();
        var idSlash = path.LastIndexOf('/');
        if (idSlash <= 0 || idSlash == path.Length - 1)
        {
            return null;
        }

        var typeSlash = path[..idSlash].LastIndexOf('/');
        var type = path[(typeSlash + 1)..idSlash];
        if ((wanted is not null && !type.SequenceEqual(wanted)) || ModelInfo.GetResourceType(wanted ?? type.ToString()) is null)
        {
            return null;
        }

        return typeSlash < 0 && history < 0 ? reference : string.Concat(type, "/", path[(idSlash + 1)..]);
    }
}
