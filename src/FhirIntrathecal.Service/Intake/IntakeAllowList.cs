using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Exchange;

namespace FhirIntrathecal.Service.Intake;

/// <summary>
/// What a posted body may ask the adapter to do: create or update resources of the configured types, nothing else.
/// In a transaction or batch every entry must be a POST to <c>Type</c> (a conditional create via If-None-Exist is a
/// create) or a PUT to <c>Type/id</c>, carrying a resource of that type; DELETE, PATCH, GET, conditional update/delete
/// (a URL with a query) and any other URL (operations, _history, absolute URLs) are refused. Other bodies may hold
/// only resources of the configured types. Errors name the entry and why, never the URL or values sent.
/// </summary>
public sealed class IntakeAllowList(IEnumerable<string> resourceTypes)
{
    private readonly HashSet<string> _types = resourceTypes.ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<Diagnostic> Check(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var errors = new List<Diagnostic>();
        if (resource is not Bundle bundle)
        {
            CheckType(resource, resource.TypeInfo.Name, errors);
            return errors;
        }

        var requests = bundle.Type?.Value is "transaction" or "batch";
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var at = $"Bundle.entry[{i}]";
            if (!requests)
            {
                if (entry.Resource is { } r)
                {
                    CheckType(r, at + ".resource", errors);
                }

                continue;
            }

            CheckRequest(entry, at, errors);
        }

        return errors;
    }

    private void CheckRequest(Bundle.EntryComponent entry, string at, List<Diagnostic> errors)
    {
        var method = entry.Request?.Method?.Value;
        var url = entry.Request?.Url?.Value ?? string.Empty;
        if (method is not ("POST" or "PUT"))
        {
            errors.Add(IntakeErrors.Error(IntakeErrors.Forbidden, at + ".request.method", $"Method {(method is null ? "(none)" : method)} is not allowed: only POST (create) and PUT (update)."));
            return;
        }

        if (entry.Resource is not { } resource)
        {
            errors.Add(IntakeErrors.Error(IntakeErrors.Forbidden, at + ".resource", "A create or update must carry its resource."));
            return;
        }

        var type = resource.TypeInfo.Name;
        var parts = url.Split('/');
        var expected = method == "POST"
            ? parts.Length == 1 && parts[0] == type
            : parts.Length == 2 && parts[0] == type && parts[1].Length is > 0 and <= 64 && parts[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && parts[1] == resource.Id;
        if (!expected)
        {
            errors.Add(IntakeErrors.Error(IntakeErrors.Forbidden, at + ".request.url", method == "POST"
                ? "A POST must go to the plain type of its resource (no query, operation or other path)."
                : "A PUT must go to Type/id of its own resource (no query: conditional updates are refused)."));
            return;
        }

        CheckType(resource, at + ".resource", errors);
    }

    private void CheckType(Resource resource, string at, List<Diagnostic> errors)
    {
        var type = resource.TypeInfo.Name;
        if (!_types.Contains(type))
        {
            errors.Add(IntakeErrors.Error(IntakeErrors.Forbidden, at, $"Resource type {type} is not one the intake accepts."));
        }
    }
}
