using System.Collections;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// The restricted FHIRPath of discriminators: element names, <c>$this</c>, <c>extension('url')</c>, <c>ofType(T)</c>.
/// Evaluated both on instances (the values) and on slice definitions (the element holding the fixed value or pattern).
/// </summary>
internal static class DiscriminatorPath
{
    public static List<string> Segments(string path)
    {
        var result = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            switch (path[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '.' when depth == 0:
                    result.Add(path[start..i]);
                    start = i + 1;
                    break;
            }
        }

        result.Add(path[start..]);
        return result;
    }

    public static List<object> Select(object item, string path)
    {
        var current = new List<object> { item };
        foreach (var segment in Segments(path))
        {
            if (segment is "$this" or "")
            {
                continue;
            }

            var next = new List<object>();
            foreach (var value in current)
            {
                if (value is not Base b)
                {
                    continue;
                }

                if (Argument(segment, "ofType") is { } typeName)
                {
                    if (b.TypeInfo.Name == typeName || (ModelInfo.GetTypeInfo(typeName) is { } ti && b.TypeInfo.IsA(ti)))
                    {
                        next.Add(b);
                    }
                }
                else if (Argument(segment, "extension") is { } url)
                {
                    next.AddRange(Extensions(b).Where(e => e.Url == url));
                }
                else if (segment == "resolve()")
                {
                    // Needs the reference target; not resolvable here, so the discriminator falls back to conformance.
                }
                else
                {
                    AddChildren(b, segment, next);
                }
            }

            current = next;
        }

        return current;
    }

    /// <summary>The element definition a discriminator path names inside a slice, following type profiles and extension definitions.</summary>
    public static (ElementNode? Node, CompiledProfile? Profile) FindDefinition(ValidationRun run, ElementNode slice, CompiledProfile profile, string path)
    {
        var node = slice;
        var p = profile;
        foreach (var segment in Segments(path))
        {
            if (segment is "$this" or "" || segment.StartsWith("ofType(", StringComparison.Ordinal))
            {
                continue;
            }

            if (Argument(segment, "extension") is { } url)
            {
                if (run.Validator.GetProfile(url) is not { } ext)
                {
                    return (null, null);
                }

                (node, p) = (ext.Root, ext);
                continue;
            }

            if (segment == "resolve()")
            {
                return (null, null);
            }

            var name = segment.EndsWith("[x]", StringComparison.Ordinal) ? segment[..^3] : segment;
            if (node.EffectiveChildren.TryGetValue(name, out var child))
            {
                node = child;
                continue;
            }

            // Not expanded in this profile: look in the profile on the element's type (an extension definition's url...).
            var typeProfile = node.Types.Count > 0 && node.Types[0].Profiles.Count > 0 ? run.Validator.GetProfile(node.Types[0].Profiles[0])
                : node.Types.Count == 1 ? run.Validator.GetTypeProfile(node.Types[0].Code) : null;
            if (typeProfile is null || !typeProfile.Root.Children.TryGetValue(name, out child))
            {
                return (null, null);
            }

            (node, p) = (child, typeProfile);
        }

        return ReferenceEquals(node, slice) && path is not "$this" ? (null, null) : (node, p);
    }

    private static IEnumerable<Extension> Extensions(Base b) =>
        b.TypeInfo.GetElement("extension") is { } e && b.GetValue(e) is IList list ? list.OfType<Extension>() : [];

    private static void AddChildren(Base b, string name, List<object> into)
    {
        var element = b.TypeInfo.GetElement(name.EndsWith("[x]", StringComparison.Ordinal) ? name[..^3] : name);
        FhirTypeInfo? onlyType = null;
        if (element is null && b.TypeInfo.TryGetByJsonName(name, out var byJson, out var choiceType))
        {
            element = byJson;
            onlyType = choiceType;
        }

        if (element is null)
        {
            return;
        }

        switch (b.GetValue(element))
        {
            case null:
                break;
            case IList list:
                foreach (var v in list)
                {
                    if (v is not null)
                    {
                        into.Add(v);
                    }
                }

                break;
            case var v when onlyType is null || (v is Base vb && ReferenceEquals(vb.TypeInfo, onlyType)):
                into.Add(v);
                break;
        }
    }

    private static string? Argument(string segment, string function)
    {
        if (!segment.StartsWith(function + "(", StringComparison.Ordinal) || !segment.EndsWith(')'))
        {
            return null;
        }

        var arg = segment[(function.Length + 1)..^1].Trim();
        return arg.Length >= 2 && arg[0] == '\'' && arg[^1] == '\'' ? arg[1..^1] : arg;
    }
}
