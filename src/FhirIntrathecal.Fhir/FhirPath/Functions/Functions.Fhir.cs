using System.Collections;
using System.Text.RegularExpressions;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>The FHIR-specific functions: extension(), hasValue(), getValue(), resolve(), memberOf(), conformsTo(), htmlChecks().</summary>
internal static partial class Functions
{
    private static readonly IList NoExtensions = Array.Empty<object>();

    private const string CoreProfilePrefix = "http://hl7.org/fhir/StructureDefinition/";

    private static void RegisterFhir(Register add)
    {
        add("extension", 1, 1, c =>
        {
            var url = c.StringArg(0);
            if (url is null)
            {
                return [];
            }

            // A direct scan of each element's own extension list (what navigating to 'extension' gives, without a copy).
            var result = default(Collector);
            for (var i = 0; i < c.Input.Count; i++)
            {
                var extensions = ExtensionsOf(c.Input[i]);
                for (var k = 0; k < extensions.Count; k++)
                {
                    if (extensions[k] is Extension e && e.Url == url)
                    {
                        result.Add(e);
                    }
                }
            }

            return result.Result;
        });
        add("hasValue", 0, 0, c => Values.Bool(c.Input.Count == 1 && c.Input[0] is PrimitiveType { HasValue: true }));
        add("getValue", 0, 0, c => c.Input.Count == 1 && c.Input[0] is PrimitiveType { HasValue: true } p ? One(Values.ToSystem(p)) : []);
        add("resolve", 0, 0, c =>
        {
            var result = new List<object>();
            foreach (var item in c.Input)
            {
                var reference = item switch
                {
                    Reference r => r.Reference_?.ObjectValue as string,
                    _ => Values.ToSystem(item) as string,
                };
                if (reference is not null && Resolve(c.Scope, reference) is { } resolved)
                {
                    result.Add(resolved);
                }
            }

            return result;
        });
        add("memberOf", 1, 1, c =>
        {
            if (c.StringArg(0) is not { } valueSet || c.Scope.Context.MemberOf is not { } hook || c.Input.Count == 0)
            {
                return [];
            }

            if (c.Input.Count > 1)
            {
                throw new FhirPathRuntimeError("memberOf() needs a single item");
            }

            return Values.Bool(hook(c.Input[0] is PrimitiveType ? Values.ToSystem(c.Input[0])! : c.Input[0], valueSet));
        });
        add("conformsTo", 1, 1, c =>
        {
            if (c.StringArg(0) is not { } profile || c.Input.Count == 0)
            {
                return [];
            }

            if (c.Input.Count > 1 || c.Input[0] is not Base instance)
            {
                throw new FhirPathRuntimeError("conformsTo() needs a single FHIR element");
            }

            if (c.Scope.Context.ConformsTo?.Invoke(instance, profile) is { } answer)
            {
                return Values.Bool(answer);
            }

            if (profile.StartsWith(CoreProfilePrefix, StringComparison.Ordinal) && ModelInfo.GetTypeInfo(profile[CoreProfilePrefix.Length..]) is { } type)
            {
                return Values.Bool(instance.TypeInfo.IsA(type));
            }

            throw new FhirPathRuntimeError($"conformsTo(): unknown profile '{profile}'");
        });
        add("htmlChecks", 0, 0, c =>
        {
            if (c.Input.Count == 0)
            {
                return [];
            }

            var html = Values.Singleton(c.Input, "htmlChecks()") as string;
            return Values.Bool(html is not null && IsSafeXhtml(html));
        });
    }

    /// <summary>Contained (<c>#id</c>), Bundle entries (fullUrl, or Type/id), then the context's resolver.</summary>
    private static Base? Resolve(Scope scope, string reference)
    {
        if (reference.StartsWith('#'))
        {
            var id = reference[1..];
            foreach (var container in new[] { scope.Resource, scope.RootResource })
            {
                if (container is DomainResource dr)
                {
                    if (id.Length == 0)
                    {
                        return dr;
                    }

                    var match = dr.Contained.FirstOrDefault(r => r.Id == id);
                    if (match is not null)
                    {
                        return match;
                    }
                }
            }

            return null;
        }

        foreach (var candidate in new[] { scope.RootResource, scope.Resource })
        {
            if (candidate is not Bundle bundle)
            {
                continue;
            }

            foreach (var entry in bundle.Entry)
            {
                var fullUrl = entry.FullUrl?.ObjectValue as string;
                if (fullUrl == reference && entry.Resource is { } byUrl)
                {
                    return byUrl;
                }

                if (entry.Resource is { } r && r.Id is { } rid
                    && (reference == r.TypeInfo.Name + "/" + rid || reference.EndsWith("/" + r.TypeInfo.Name + "/" + rid, StringComparison.Ordinal)))
                {
                    return r;
                }
            }
        }

        return scope.Context.Resolver?.Invoke(reference);
    }

    /// <summary>
    /// The narrative safety check of dom-3/txt-1: no script, no event-handler attributes, no javascript: URLs, and none of
    /// the elements FHIR narrative forbids (object, embed, iframe, form...).
    /// </summary>
    private static bool IsSafeXhtml(string html) => !UnsafeHtml().IsMatch(html);

    [GeneratedRegex(@"<\s*(script|object|embed|iframe|frame|frameset|applet|form|input|button|base|link|meta|style)\b|\son[a-z]+\s*=|javascript\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UnsafeHtml();

    /// <summary>An item's own extension list (none for a System value or an element without extensions).</summary>
    private static IList ExtensionsOf(object item) =>
        item is Base b && b.TypeInfo.GetElement("extension") is { } element && b.GetValue(element) is IList extensions ? extensions : NoExtensions;
}
