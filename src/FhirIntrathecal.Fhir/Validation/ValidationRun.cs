using System.Collections;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// One validation of one instance: walks the instance against compiled element trees and collects issues. Not shared
/// between threads; everything it reads (compiled profiles, terminology caches) is.
/// </summary>
internal sealed partial class ValidationRun
{
    private readonly List<ValidationIssue> _issues = [];
    private readonly PositionMap? _positions;
    private readonly Stack<ResourceFrame> _frames = new();

    public ValidationRun(FhirValidator validator, PositionMap? positions)
    {
        Validator = validator;
        _positions = positions;
    }

    public FhirValidator Validator { get; }

    /// <summary>%resource and %rootResource for invariants of the value being validated.</summary>
    public InvariantContext InvariantContext => _frames.Count > 0 ? _frames.Peek().Context : new InvariantContext(null, null);

    /// <summary>The Base whose position an issue should point at (line/column), set while walking.</summary>
    private object? _current;

    public IReadOnlyList<ValidationIssue> Issues()
    {
        // The same rule reached through the base definition and a profile is reported once.
        var seen = new HashSet<(string, string, string)>();
        return _issues.Where(i => seen.Add((i.MessageId, i.Expression, i.Message))).ToList();
    }

    public int ErrorCount => _issues.Count(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);

    public void Report(IssueSeverity severity, string type, string messageId, string message, string path, string? elementId, string? profile)
    {
        var (line, column) = _positions is not null && _current is not null ? _positions.Find(_current) : (0, 0);
        _issues.Add(new ValidationIssue(severity, type, messageId, message, path, elementId, profile) { Line = line, Column = column });
    }

    public void ValidateRoot(Resource resource, IEnumerable<string> profiles) =>
        ValidateResource(resource, resource.TypeInfo.Name, profiles, container: null);

    /// <summary>Validates a value against an element definition: its type, assertions, children and type profiles.</summary>
    public void ValidateValue(ElementNode node, object value, string path, CompiledProfile profile, string elementPath)
    {
        var previous = _current;
        if (value is Base)
        {
            _current = value;
        }

        var scope = new Scope(this, profile, node, path);
        var typeRef = MatchType(node, value);
        if (typeRef is null && node.Types.Count > 0)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.TypeNotAllowed,
                $"Type {TypeName(value)} is not allowed here; allowed: {string.Join(", ", node.Types.Select(t => t.Code))}.");
        }

        foreach (var assertion in node.Assertions)
        {
            assertion.Validate(value, scope);
        }

        if (value is not Base b)
        {
            _current = previous;
            return;
        }

        if (b is Resource resource && !ReferenceEquals(node, profile.Root))
        {
            ValidateResource(resource, path, [], container: CurrentResource);
            _current = previous;
            return;
        }

        switch (b)
        {
            case PrimitiveType p:
                PrimitiveRules.Validate(p, scope);
                break;
            case Reference r:
                ValidateReference(r, typeRef, scope);
                break;
        }

        var profiles = typeRef?.Profiles ?? [];
        if (node.HasChildren)
        {
            ValidateChildren(node.EffectiveChildren, b, path, profile, node.Path);
        }
        else if (profiles.Count == 0)
        {
            if (b is Extension ext && (node.Types.Count == 0 || !ReferenceEquals(node, profile.Root)))
            {
                ValidateExtensionByUrl(ext, scope, elementPath, previous);
            }
            else if (b.TypeInfo.Kind is TypeKind.Primitive or TypeKind.Complex && Validator.GetTypeProfile(b.TypeInfo.Name) is { } typeProfile
                && !ReferenceEquals(typeProfile.Root, node))
            {
                ValidateAgainstTypeRoot(node, b, path, typeProfile, elementPath);
            }
        }

        foreach (var url in profiles)
        {
            if (Validator.GetProfile(url) is { } p)
            {
                if (p.IsExtension && b is Extension e2)
                {
                    CheckExtensionUse(e2, p, scope, elementPath, previous);
                }

                ValidateValue(p.Root, b, path, p, elementPath);
            }
            else
            {
                scope.Report(IssueSeverity.Warning, IssueTypes.NotFound, b is Extension ? MessageIds.ExtensionUnknown : MessageIds.ProfileUnknown,
                    $"Profile {url} is not known, so the value was not checked against it.");
            }

            break; // One profile is enough; R4 profiles list alternatives and the first is the one in use everywhere in the core.
        }

        _current = previous;
    }

    /// <summary>A type's own definition applies where the profile does not expand the element (Patient.name → HumanName).</summary>
    private void ValidateAgainstTypeRoot(ElementNode node, Base b, string path, CompiledProfile typeProfile, string elementPath)
    {
        var root = typeProfile.Root;
        var scope = new Scope(this, typeProfile, root, path);
        foreach (var assertion in root.Assertions)
        {
            if (assertion is InvariantAssertion ia && node.ConstraintKeys.Contains(ia.Key))
            {
                continue;
            }

            assertion.Validate(b, scope);
        }

        ValidateChildren(root.Children, b, path, typeProfile, elementPath);
    }

    private void ValidateChildren(Dictionary<string, ElementNode> children, Base b, string path, CompiledProfile profile, string elementPath)
    {
        var elements = b.TypeInfo.Elements;
        var isPrimitive = b is PrimitiveType;
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            var raw = b.GetValue(element);
            var count = raw switch { null => 0, IList l => l.Count, _ => 1 };
            if (!children.TryGetValue(element.Name, out var child))
            {
                if (count > 0 && !(isPrimitive && element.Name == "value"))
                {
                    Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.UnknownElement,
                        $"Element '{element.Name}' is not allowed by {profile.Url}.", path + "." + element.Name, null, profile.Url);
                }

                continue;
            }

            var childPathBase = isPrimitive && element.Name == "value" ? path : path + "." + element.Name;
            if (count < child.Min)
            {
                Report(IssueSeverity.Error, IssueTypes.Required, MessageIds.CardinalityMin,
                    $"{child.Id}: minimum required = {child.Min}, but only found {count}.", childPathBase, child.Id, profile.Url);
            }

            if (count > child.Max)
            {
                Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.CardinalityMax,
                    $"{child.Id}: maximum allowed = {child.Max}, but found {count}.", childPathBase, child.Id, profile.Url);
            }

            if (count == 0)
            {
                continue;
            }

            // The element's path in the outermost definition (Patient.name.period even inside HumanName's own definition): extension contexts name it.
            var childElementPath = elementPath + "." + element.Name;
            if (child.Slicing is { Slices.Count: > 0 })
            {
                var items = raw as IList ?? new object[] { raw! };
                ValidateSlices(child, items, element, path, profile, childElementPath);
                continue;
            }

            if (raw is IList list)
            {
                for (var j = 0; j < list.Count; j++)
                {
                    if (list[j] is { } item)
                    {
                        ValidateValue(child, item, ChildPath(path, element, item, j), profile, childElementPath);
                    }
                }
            }
            else
            {
                ValidateValue(child, raw!, isPrimitive && element.Name == "value" ? path : ChildPath(path, element, raw!, -1), profile, childElementPath);
            }
        }
    }

    public static string ChildPath(string path, ElementInfo element, object value, int index)
    {
        var name = element.IsChoice && value is Base vb ? element.Name + ".ofType(" + vb.TypeInfo.Name + ")" : element.Name;
        return index >= 0 && element.IsList ? $"{path}.{name}[{index}]" : path + "." + name;
    }

    private static string TypeName(object value) => value is Base b ? b.TypeInfo.Name : value.GetType().Name;

    private static TypeRef? MatchType(ElementNode node, object value)
    {
        var types = node.Types;
        if (types.Count == 0)
        {
            return null;
        }

        if (value is not Base b)
        {
            // System values (Element.id, Extension.url, a primitive's value) have their type fixed by the model.
            return types[0];
        }

        foreach (var t in types)
        {
            if (t.Code == b.TypeInfo.Name)
            {
                return t;
            }
        }

        foreach (var t in types)
        {
            if (b.TypeInfo.Kind == TypeKind.Component && t.Code is "BackboneElement" or "Element")
            {
                return t;
            }

            if (ModelInfo.GetTypeInfo(t.Code) is { } ti && b.TypeInfo.IsA(ti))
            {
                return t;
            }
        }

        return null;
    }
}
