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
    private const int MaxStringLength = 1024 * 1024;

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
        if (_issues.Count == 0)
        {
            return [];
        }

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
            _current = previous;
            return; // The element's rules (binding, fixed value...) are written for the allowed types only.
        }

        var assertions = node.Assertions;
        for (var i = 0; i < assertions.Count; i++)
        {
            assertions[i].Validate(value, scope);
        }

        // R4 string: "Strings SHALL NOT exceed 1MB in size" (ids and other System strings included; base64 data excepted).
        if ((value as string ?? (value is PrimitiveType { ObjectValue: string ps } and not Base64Binary ? ps : null)) is { Length: > MaxStringLength } tooLong)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Value, MessageIds.StringTooLong,
                $"value is longer than permitted maximum length of 1 MB ({MaxStringLength} bytes): {tooLong.Length} characters.");
        }

        if (value is not Base b)
        {
            _current = previous;
            return;
        }

        if (b is Resource resource && !ReferenceEquals(node, profile.Root))
        {
            ValidateResource(resource, path, typeRef?.Profiles ?? [], container: CurrentResource);
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
            case Coding coding:
                ValidateCodeInSystem(coding.System?.Value, coding.Code?.Value, scope, path + ".code");
                break;
            case Attachment attachment:
                AttachmentRules.Validate(attachment, scope);
                break;
            case Quantity { System.Value: "http://unitsofmeasure.org", Code.Value: { } unit }
                when Terminology.Ucum.UcumService.Default.Validate(unit) is { IsValid: false } bad:
                scope.Report(IssueSeverity.Error, IssueTypes.CodeInvalid, MessageIds.UcumInvalid, $"'{unit}' is not a valid UCUM unit: {bad.Error}.", path + ".code");
                break;
        }

        var profiles = typeRef?.Profiles ?? [];
        if (b is Extension && profiles.Count > 1)
        {
            profiles = [profiles[0]]; // An extension's url names its one definition.
        }

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
            else if (b.TypeInfo.Kind is TypeKind.Primitive or TypeKind.Complex && Validator.GetTypeProfile(b.TypeInfo) is { } typeProfile
                && !ReferenceEquals(typeProfile.Root, node))
            {
                ValidateAgainstTypeRoot(node, b, path, typeProfile, elementPath);
            }
        }

        if (profiles.Count == 1)
        {
            ValidateAgainstTypeProfile(profiles[0], b, path, elementPath, scope, previous);
        }
        else if (profiles.Count > 1)
        {
            ValidateAgainstAnyProfile(profiles, b, path, elementPath, scope, previous);
        }

        _current = previous;
    }

    private void ValidateAgainstTypeProfile(string url, Base b, string path, string elementPath, in Scope scope, object? holder)
    {
        if (Validator.GetProfile(url) is { } p)
        {
            if (p.IsExtension && b is Extension e2)
            {
                CheckExtensionUse(e2, p, scope, elementPath, holder);
            }

            ValidateValue(p.Root, b, path, p, elementPath);
        }
        else
        {
            // The reference validator: an element's type profile that cannot be found is an error (the value cannot be checked against what the profile requires).
            scope.Report(b is Extension ? IssueSeverity.Warning : IssueSeverity.Error, IssueTypes.NotFound, b is Extension ? MessageIds.ExtensionUnknown : MessageIds.ProfileUnknownType,
                $"Unknown profile {url}: the value could not be checked against it.");
        }
    }

    /// <summary>
    /// Several profiles on one type mean any one of them (ElementDefinition.type.profile: "the element SHALL conform to at
    /// least one"). Each is tried on its own; when none fits, the choice fails and each profile's errors are reported.
    /// </summary>
    private void ValidateAgainstAnyProfile(IReadOnlyList<string> profiles, Base b, string path, string elementPath, in Scope scope, object? holder)
    {
        var attempts = new List<List<ValidationIssue>>();
        foreach (var url in profiles)
        {
            var start = _issues.Count;
            ValidateAgainstTypeProfile(url, b, path, elementPath, scope, holder);
            var found = _issues.GetRange(start, _issues.Count - start);
            _issues.RemoveRange(start, _issues.Count - start);
            if (!found.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal))
            {
                _issues.AddRange(found);
                return;
            }

            attempts.Add(found.Select(i => i with { Message = $"{i.Message} (validating against {url})" }).ToList());
        }

        scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ProfileNoMatch,
            $"Unable to find a match for the specified profile among choices: {string.Join(", ", profiles)}.");
        foreach (var attempt in attempts)
        {
            _issues.AddRange(attempt);
        }
    }

    /// <summary>A type's own definition applies where the profile does not expand the element (Patient.name → HumanName).</summary>
    private void ValidateAgainstTypeRoot(ElementNode node, Base b, string path, CompiledProfile typeProfile, string elementPath)
    {
        var root = typeProfile.Root;
        var scope = new Scope(this, typeProfile, root, path);
        var assertions = root.Assertions;
        for (var i = 0; i < assertions.Count; i++)
        {
            var assertion = assertions[i];
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

            if (count < child.Min)
            {
                Report(IssueSeverity.Error, IssueTypes.Required, MessageIds.CardinalityMin,
                    $"{child.Id}: minimum required = {child.Min}, but only found {count}.", CardinalityPath(path, element, isPrimitive), child.Id, profile.Url);
            }

            if (count > child.Max)
            {
                Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.CardinalityMax,
                    $"{child.Id}: maximum allowed = {child.Max}, but found {count}.", CardinalityPath(path, element, isPrimitive), child.Id, profile.Url);
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

    /// <summary>Where a cardinality issue points: the element (a primitive's own value: the primitive). Built only for an issue.</summary>
    private static string CardinalityPath(string path, ElementInfo element, bool isPrimitive) =>
        isPrimitive && element.Name == "value" ? path : path + "." + element.Name;

    /// <summary>A code of a code system we hold completely must exist in it, bound or not (as the HL7 validator checks).</summary>
    private void ValidateCodeInSystem(string? system, string? code, in Scope scope, string path)
    {
        if (system is null || code is null || Validator.Terminology.Expander.GetCodeSystem(system) is not { IsComplete: true } cs || cs.Contains(code))
        {
            return;
        }

        scope.Report(IssueSeverity.Error, IssueTypes.CodeInvalid, MessageIds.CodeUnknownInSystem, $"Unknown code '{code}' in the code system {system}.", path);
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

        var name = b.TypeInfo.Name;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].Code == name)
            {
                return types[i];
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
