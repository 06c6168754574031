namespace FhirIntrathecal.Fhir.Snapshot;

/// <summary>
/// Element id grammar (<c>Path.to.element:slice/reslice.child</c>): parents, slices and blocks. Ids rather than paths drive
/// the generator because they name slices unambiguously, which paths do not.
/// </summary>
internal static class ElementIds
{
    /// <summary>Start index of the last segment (after the last '.' outside a slice name).</summary>
    public static int LastSegmentStart(string id)
    {
        var dot = id.LastIndexOf('.');
        return dot < 0 ? 0 : dot + 1;
    }

    /// <summary>For a slice id (<c>A.b:s</c>, <c>A.b:s/t</c>) the sliced element's id (<c>A.b</c>, <c>A.b:s</c>); null otherwise.</summary>
    public static string? SlicedId(string id, out string sliceName)
    {
        var start = LastSegmentStart(id);
        var segment = id[start..];
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            sliceName = "";
            return null;
        }

        sliceName = segment[(colon + 1)..];
        var slash = sliceName.LastIndexOf('/');
        return id[..start] + (slash < 0 ? segment[..colon] : segment[..(colon + 1 + slash)]);
    }

    /// <summary>The parent element's id (<c>A.b:s.c</c> → <c>A.b:s</c>); null for the root.</summary>
    public static string? ParentId(string id)
    {
        var start = LastSegmentStart(id);
        return start == 0 ? null : id[..(start - 1)];
    }

    /// <summary>True when <paramref name="id"/> is inside the block of <paramref name="owner"/>: a descendant, slice or re-slice.</summary>
    public static bool IsInBlock(string id, string owner) =>
        id.Length > owner.Length && id.StartsWith(owner, StringComparison.Ordinal) && id[owner.Length] is '.' or ':' or '/';

    /// <summary>True when <paramref name="id"/> is a descendant (not a slice) of <paramref name="owner"/>.</summary>
    public static bool IsDescendant(string id, string owner) =>
        id.Length > owner.Length && id.StartsWith(owner, StringComparison.Ordinal) && id[owner.Length] == '.';

    /// <summary>An id built from a path and slice name when a differential omits ids (pre-R4 style).</summary>
    public static string FromPath(string path, string? sliceName) => sliceName is null ? path : path + ":" + sliceName;
}
