using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>Collects the resources of one patient; hands out references built from stable ids (no lookups).</summary>
internal sealed class ResourceBuilder(ReferenceStyle style)
{
    public List<PlannedResource> Planned { get; } = [];

    /// <summary>Marks every resource planned from index <paramref name="from"/> on as coming from <paramref name="record"/>.</summary>
    public void Attribute(int from, string record)
    {
        for (var i = from; i < Planned.Count; i++)
        {
            Planned[i] = Planned[i] with { Record = record };
        }
    }

    /// <summary>References to every resource added so far (Provenance targets them).</summary>
    public List<Reference> Created { get; } = [];

    public Reference Add(Resource resource, string kind, string businessId, bool conditional = true)
    {
        var uuid = StableIds.Uuid(kind, businessId);
        var type = resource.TypeInfo.Name;
        if (resource is DomainResource { Text: null } domain)
        {
            // A short generated narrative (dom-6): what the resource is, and the business id it was made from.
            domain.Text = new Narrative
            {
                Status = "generated",
                Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{type} {System.Security.SecurityElement.Escape(kind)} {System.Security.SecurityElement.Escape(businessId)}</div>",
            };
        }

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
