using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>Collects the resources of one patient; hands out references built from stable ids (no lookups).</summary>
internal sealed class ResourceBuilder(ReferenceStyle style)
{
    public List<PlannedResource> Planned { get; } = [];

    /// <summary>References to every resource added so far (Provenance targets them).</summary>
    public List<Reference> Created { get; } = [];

    public Reference Add(Resource resource, string kind, string businessId, bool conditional = true)
    {
        var uuid = StableIds.Uuid(kind, businessId);
        var type = resource.TypeInfo.Name;
        if (style == ReferenceStyle.Relative)
        {
            resource.Id = uuid;
        }

        var ifNoneExist = conditional ? $"identifier={Uri.EscapeDataString(Itm.Sid(kind))}|{Uri.EscapeDataString(businessId)}" : null;
        Planned.Add(new PlannedResource(resource, uuid, ifNoneExist));
        var reference = new Reference { Reference_ = style == ReferenceStyle.UrnUuid ? $"urn:uuid:{uuid}" : $"{type}/{uuid}" };
        Created.Add(reference);
        return reference;
    }
}

internal static class ReferenceExtensions
{
    public static Reference Clone(this Reference r) => new() { Reference_ = r.Reference_?.Value };
}
