using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

internal sealed partial class ValidationRun
{
    /// <summary>
    /// Core R4 extensions whose published context is narrower than the core specification's own use of them; checking
    /// the context would reject the published definitions themselves (fixed in R5).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ContextErrata = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FhirValidator.CoreProfilePrefix + "structuredefinition-fhir-type"] =
            "context is ElementDefinition.type.code, but every R4 snapshot puts it on ElementDefinition.type (R5 changed the context)",
        [FhirValidator.CoreProfilePrefix + "regex"] =
            "context is Questionnaire.item and ElementDefinition, but every R4 primitive type definition puts it on ElementDefinition.type",
        [FhirValidator.CoreProfilePrefix + "structuredefinition-normative-version"] =
            "context is StructureDefinition, but R4 uses it on every normative canonical resource (CodeSystem, ValueSet, OperationDefinition...) and their elements",
    };

    /// <summary>An extension no profile slice claimed: find its definition by url and validate against it.</summary>
    private void ValidateExtensionByUrl(Extension ext, in Scope scope, string elementPath, object? holder)
    {
        if (ext.Url is not { } url)
        {
            // As the reference validator: the missing url is reported, and so is Extension.url's own cardinality (1..1).
            scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ExtensionNoUrl, "An extension must have a url.");
            scope.Report(IssueSeverity.Error, IssueTypes.Required, MessageIds.CardinalityMin, "Extension.url: minimum required = 1, but only found 0.", scope.Path + ".url");
            return;
        }

        var definition = url.Contains("://", StringComparison.Ordinal) || url.StartsWith("urn:", StringComparison.Ordinal) ? Validator.GetProfile(url) : null;
        var bar = url.IndexOf('|', StringComparison.Ordinal);
        if (definition is null && bar > 0 && Validator.GetProfile(url[..bar]) is { IsExtension: true } unversioned)
        {
            // Extension.url is the definition's url itself ("fixed to" it): a |version suffix is an error; the extension is
            // still validated against the definition we have, whose fixed url then differs too.
            scope.Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.ExtensionVersioned,
                $"The extension URL must not contain a version ({url}); the extension was validated against {unversioned.Url}.");
            definition = unversioned;
        }
        if (definition is null || !definition.IsExtension)
        {
            // Like the HL7 validator: an extension whose definition cannot be found is not allowed, except under example
            // domains (they exist only to illustrate), and, for other than modifier extensions, for the relative urls of a
            // complex extension's parts and when unknown extensions are allowed (its -allow-any-extensions).
            var isModifier = elementPath.EndsWith(".modifierExtension", StringComparison.Ordinal);
            var tolerated = IsExampleUrl(url) || (!isModifier && (!url.Contains(':', StringComparison.Ordinal) || Validator.Settings.AllowUnknownExtensions));
            scope.Report(tolerated ? IssueSeverity.Warning : IssueSeverity.Error, IssueTypes.Extension, MessageIds.ExtensionUnknown,
                tolerated
                    ? $"Unknown extension {url}; it was not validated."
                    : $"The extension {url} could not be found so is not allowed here.");
            if (Validator.GetTypeProfile("Extension") is { } extensionType)
            {
                ValidateAgainstTypeRoot(scope.Node, ext, scope.Path, extensionType, elementPath);
            }

            return;
        }

        CheckExtensionUse(ext, definition, scope, elementPath, holder);
        ValidateValue(definition.Root, ext, scope.Path, definition, elementPath);
    }

    /// <summary>The extension's declared contexts allow this place, its context invariants hold, and modifier extensions are used as modifierExtension.</summary>
    private void CheckExtensionUse(Extension ext, CompiledProfile definition, in Scope scope, string elementPath, object? holder)
    {
        var lastDot = elementPath.LastIndexOf('.');
        var container = lastDot < 0 ? elementPath : elementPath[..lastDot];
        var usedAsModifier = elementPath.EndsWith(".modifierExtension", StringComparison.Ordinal);
        var isModifier = definition.Root.IsModifier;
        if (usedAsModifier != isModifier)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ExtensionModifierMismatch, isModifier
                ? $"Extension {definition.Url} is a modifier extension and must be used as modifierExtension."
                : $"Extension {definition.Url} is not a modifier extension and must not be used as modifierExtension.");
        }

        var contexts = definition.Definition.Context;
        if (contexts.Count > 0 && !ContextErrata.ContainsKey(definition.Url) && !contexts.Any(c => ContextAllows(c, container, holder)))
        {
            var holderType = (holder as Base)?.TypeInfo.Name;
            scope.Report(IssueSeverity.Error, IssueTypes.Extension, MessageIds.ExtensionContext,
                $"The extension {definition.Url} is not allowed to be used at this point (this element is [{(holderType is null || holderType == container ? container : holderType + ", " + container)}]; allowed = {string.Join(", ", contexts.Select(c => ContextLabel(c.Type?.Value) + ":" + c.Expression?.Value))}).");
        }

        foreach (var invariant in definition.Definition.ContextInvariant.Select(i => i.Value).OfType<string>())
        {
            if (holder is not null && Validator.CompileFhirPath(invariant) is { } compiled
                && compiled.EvaluateBoolean(holder, new FhirPath.EvaluationContext { Resource = CurrentResource, RootResource = CurrentResource }) == false)
            {
                scope.Report(IssueSeverity.Error, IssueTypes.Extension, MessageIds.ExtensionContext,
                    $"The extension {definition.Url} is not allowed to be used at this point (based on context invariant '{invariant}').");
            }
        }

        _ = ext;
    }

    private static string ContextLabel(string? type) => type switch { "element" => "e", "extension" => "x", "fhirpath" => "f", _ => type ?? "" };

    private bool ContextAllows(StructureDefinition.ContextComponent context, string containerPath, object? holder)
    {
        var expression = context.Expression?.Value;
        if (expression is null)
        {
            return true;
        }

        switch (context.Type?.Value)
        {
            case "extension":
                // The container is an extension with that url (a complex extension's part).
                return holder is Extension outer ? outer.Url == expression || expression.StartsWith(outer.Url + "#", StringComparison.Ordinal) : false;
            case "fhirpath":
                // Allowed where the expression, evaluated on the resource, selects the element holding the extension.
                if (holder is null || CurrentResource is not { } resource || Validator.CompileFhirPath(expression) is not { } compiled)
                {
                    return true;
                }

                var selected = compiled.Evaluate(resource, new FhirPath.EvaluationContext { Resource = resource, RootResource = resource });
                return selected.Any(x => ReferenceEquals(x, holder));
            case "element":
                return ElementContextAllows(expression, containerPath, (holder as Base)?.TypeInfo);
            default:
                return true;
        }
    }

    private static bool ElementContextAllows(string expression, string containerPath, FhirTypeInfo? containerType)
    {
        if (expression is "Element" or "Base" || expression == containerPath)
        {
            return true;
        }

        // R5's abstract CanonicalResource/MetadataResource (used by cross-version extensions): any resource with a canonical url.
        if (expression is "CanonicalResource" or "MetadataResource")
        {
            return containerType is { IsResource: true } && containerType.GetElement("url") is not null;
        }

        if (containerType is not null && (containerType.Name == expression
            || (ModelInfo.GetTypeInfo(expression) is { } contextType && containerType.IsA(contextType))))
        {
            return true;
        }

        // Contexts name elements by their path in the defining type (HumanName.family, Dosage.doseAndRate); the container
        // path is the outermost one (Patient.contact.name.family), so find a prefix whose type is the context's type.
        var normalized = expression.Replace("[x]", "", StringComparison.Ordinal);
        if (containerPath == normalized || containerPath.EndsWith("." + normalized, StringComparison.Ordinal))
        {
            return true;
        }

        var dot = normalized.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !containerPath.EndsWith(normalized[dot..], StringComparison.Ordinal))
        {
            return false;
        }

        var prefixType = TypeAtPath(containerPath[..^(normalized.Length - dot)]);
        return prefixType is null || (ModelInfo.GetTypeInfo(normalized[..dot]) is { } contextRoot && prefixType.IsA(contextRoot));
    }

    /// <summary>The model type at an element path (Patient.contact.name → HumanName); null when it goes through a choice or is unknown.</summary>
    private static FhirTypeInfo? TypeAtPath(string path)
    {
        var segments = path.Split('.');
        var type = ModelInfo.GetTypeInfo(segments[0]);
        for (var i = 1; i < segments.Length && type is not null; i++)
        {
            var element = type.GetElement(segments[i]);
            if (element is null || element.IsChoice)
            {
                return null;
            }

            type = element.Type.Kind == TypeKind.Component || element.Types.Count == 1 ? element.Type : null;
        }

        return type;
    }

    private static bool IsExampleUrl(string url) =>
        url.Contains("example.org", StringComparison.OrdinalIgnoreCase) || url.Contains("example.com", StringComparison.OrdinalIgnoreCase)
        || url.Contains("nema.org", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://hl7.org/fhir/tools/StructureDefinition/", StringComparison.Ordinal)
        || url.Contains("acme.com", StringComparison.OrdinalIgnoreCase) || url.Contains("acme.org", StringComparison.OrdinalIgnoreCase);
}
