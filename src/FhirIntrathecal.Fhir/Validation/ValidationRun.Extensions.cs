using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

internal sealed partial class ValidationRun
{
    /// <summary>An extension no profile slice claimed: find its definition by url and validate against it.</summary>
    private void ValidateExtensionByUrl(Extension ext, in Scope scope, string elementPath, object? holder)
    {
        if (ext.Url is not { } url)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ExtensionNoUrl, "An extension must have a url.");
            return;
        }

        var definition = url.Contains("://", StringComparison.Ordinal) || url.StartsWith("urn:", StringComparison.Ordinal) ? Validator.GetProfile(url) : null;
        if (definition is null || !definition.IsExtension)
        {
            var isModifier = elementPath.EndsWith(".modifierExtension", StringComparison.Ordinal);
            scope.Report(isModifier ? IssueSeverity.Error : IssueSeverity.Warning, IssueTypes.Extension, MessageIds.ExtensionUnknown,
                isModifier
                    ? $"Unknown modifier extension {url}: a modifier extension that is not understood makes the resource unsafe to process."
                    : $"Unknown extension {url}; it was not validated.");
            if (Validator.GetTypeProfile("Extension") is { } extensionType)
            {
                ValidateAgainstTypeRoot(scope.Node, ext, scope.Path, extensionType, elementPath);
            }

            return;
        }

        CheckExtensionUse(ext, definition, scope, elementPath, holder);
        ValidateValue(definition.Root, ext, scope.Path, definition, elementPath);
    }

    /// <summary>The extension's declared contexts allow this place, and modifier extensions are used as modifierExtension.</summary>
    private static void CheckExtensionUse(Extension ext, CompiledProfile definition, in Scope scope, string elementPath, object? holder)
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
        if (contexts.Count == 0 || contexts.Any(c => ContextAllows(c, container, (holder as Base)?.TypeInfo)))
        {
            return;
        }

        scope.Report(IssueSeverity.Error, IssueTypes.Extension, MessageIds.ExtensionContext,
            $"Extension {definition.Url} is not allowed on {container}; its contexts are {string.Join(", ", contexts.Select(c => c.Expression?.Value))}.");
        _ = ext;
    }

    private static bool ContextAllows(StructureDefinition.ContextComponent context, string containerPath, FhirTypeInfo? containerType)
    {
        var expression = context.Expression?.Value;
        if (expression is null)
        {
            return true;
        }

        switch (context.Type?.Value)
        {
            case "extension":
                // The container is itself an extension; we accept it when the container path ends in extension.
                return containerPath.EndsWith("extension", StringComparison.OrdinalIgnoreCase) || containerPath == "Extension";
            case "element":
                break;
            default:
                return true; // fhirpath contexts are not evaluated (they need the engine and R4 IGs rarely use them).
        }

        if (expression is "Element" or "Base" || expression == containerPath)
        {
            return true;
        }

        if (containerType is not null && (containerType.Name == expression
            || (ModelInfo.GetTypeInfo(expression) is { } contextType && containerType.IsA(contextType))))
        {
            return true;
        }

        // Contexts name elements by their path in the defining type (Dosage.doseAndRate, Patient.contact.name); the container
        // path may pass through datatypes (Observation.component.value.ofType(Quantity)), so compare on the tail too.
        var normalized = expression.Replace("[x]", "", StringComparison.Ordinal);
        return containerPath.EndsWith("." + normalized, StringComparison.Ordinal) || containerPath == normalized
            || (normalized.Contains('.', StringComparison.Ordinal) && containerPath.EndsWith(normalized[normalized.IndexOf('.', StringComparison.Ordinal)..], StringComparison.Ordinal)
                && containerType?.Name == normalized[..normalized.IndexOf('.', StringComparison.Ordinal)]);
    }
}
