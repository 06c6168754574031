using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Turns a snapshot into an <see cref="ElementNode"/> tree. Nesting is read from element ids (<c>A.b:slice.c</c>),
/// which the snapshot generator and every published snapshot keep consistent; missing ids are rebuilt from paths.
/// </summary>
internal static class ProfileCompiler
{
    public static CompiledProfile Compile(StructureDefinition sd, AssertionFactory assertions)
    {
        var elements = sd.Snapshot?.Element ?? throw new InvalidOperationException($"{sd.Url?.Value} has no snapshot.");
        if (elements.Count == 0)
        {
            throw new InvalidOperationException($"{sd.Url?.Value} has an empty snapshot.");
        }

        var url = sd.Url?.Value ?? "";
        var byId = new Dictionary<string, ElementNode>(StringComparer.Ordinal);
        ElementNode? root = null;
        foreach (var ed in elements)
        {
            var node = CreateNode(ed, url, assertions);
            byId.TryAdd(node.Id, node);
            if (root is null)
            {
                root = node;
                continue;
            }

            Attach(node, byId);
        }

        foreach (var node in byId.Values)
        {
            if (node.ContentReference is { } cr)
            {
                var target = cr.Contains('#', StringComparison.Ordinal) ? cr[(cr.IndexOf('#', StringComparison.Ordinal) + 1)..] : cr;
                node.ContentTarget = byId.GetValueOrDefault(target);
            }
        }

        return new CompiledProfile { Url = url, Type = sd.Type?.Value ?? root!.Path, Root = root!, Definition = sd, ById = byId };
    }

    private static void Attach(ElementNode node, Dictionary<string, ElementNode> byId)
    {
        var id = node.Id;
        var lastDot = LastSegmentStart(id);
        var segment = id[lastDot..];
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            // A slice: "A.b:s" slices "A.b"; a re-slice "A.b:s/t" slices "A.b:s".
            var sliceName = segment[(colon + 1)..];
            var slash = sliceName.LastIndexOf('/');
            var slicedId = id[..lastDot] + (slash < 0 ? segment[..colon] : segment[..(colon + 1 + slash)]);
            if (byId.TryGetValue(slicedId, out var sliced))
            {
                sliced.Slicing ??= new SlicingInfo { Discriminators = [], Rules = "open", Ordered = false };
                sliced.Slicing.Slices.Add(node);
            }

            return;
        }

        if (lastDot > 0 && byId.TryGetValue(id[..(lastDot - 1)], out var parent))
        {
            parent.Children.TryAdd(node.Name, node);
        }
    }

    /// <summary>Start of the last id segment; dots inside a slice name after ':' up to the next '.' are not expected in R4.</summary>
    private static int LastSegmentStart(string id)
    {
        var dot = id.LastIndexOf('.');
        return dot < 0 ? 0 : dot + 1;
    }

    private static ElementNode CreateNode(ElementDefinition ed, string profileUrl, AssertionFactory assertions)
    {
        var path = ed.Path?.Value ?? "";
        var id = ed.Id ?? (ed.SliceName?.Value is { } s ? path + ":" + s : path);
        var last = path[(path.LastIndexOf('.') + 1)..];
        var name = last.EndsWith("[x]", StringComparison.Ordinal) ? last[..^3] : last;
        var max = ed.Max?.Value;
        var node = new ElementNode
        {
            Id = id,
            Path = path,
            Name = name,
            SliceName = ed.SliceName?.Value,
            Min = ed.Min?.Value ?? 0,
            Max = max is null or "*" ? int.MaxValue : int.TryParse(max, out var m) ? m : int.MaxValue,
            Types = ed.Type.Select(t => new TypeRef(
                TypeCode(t),
                t.Profile.Select(p => p.Value).OfType<string>().ToArray(),
                t.TargetProfile.Select(p => p.Value).OfType<string>().ToArray())).ToArray(),
            IsModifier = ed.IsModifier?.Value ?? false,
            ContentReference = ed.ContentReference?.Value,
            Definition = ed,
        };
        if (ed.Slicing is { } slicing)
        {
            node.Slicing = new SlicingInfo
            {
                Discriminators = slicing.Discriminator.Select(d => new Discriminator(d.Type?.Value ?? "value", d.Path?.Value ?? "$this")).ToArray(),
                Rules = slicing.Rules?.Value ?? "open",
                Ordered = slicing.Ordered?.Value ?? false,
            };
        }

        node.Assertions = assertions.Create(ed, profileUrl);
        node.ConstraintKeys = ed.Constraint.Select(c => c.Key?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return node;
    }

    /// <summary>The type code; R4 writes System types as a fhirpath URL (with the real type in an extension for primitives' value).</summary>
    private static string TypeCode(ElementDefinition.TypeRefComponent t) => t.Code?.Value ?? "";
}
