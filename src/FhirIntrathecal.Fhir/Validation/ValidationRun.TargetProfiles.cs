using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Results of checking local reference targets against profiles, shared by a run and its scratch runs (slice matching).</summary>
internal sealed class TargetProfileChecks
{
    public Dictionary<(Resource Target, string Profile), IReadOnlyList<ValidationIssue>> Done { get; } = [];

    public HashSet<(Resource Target, string Profile)> InProgress { get; } = [];
}

internal sealed partial class ValidationRun
{
    private TargetProfileChecks _targetChecks = new();

    /// <summary>
    /// A reference resolved inside the instance (a contained resource or a Bundle entry) to a resource of the right type
    /// must conform to one of the element's target profiles ("the target resource SHALL conform to at least one"): the
    /// reference validator checks local targets by default (CHECK_VALID for contained and bundled references). Each
    /// target is checked once per profile; a reference cycle counts as conforming while it is being checked.
    /// </summary>
    private void CheckTargetProfiles(string reference, Resource target, TypeRef typeRef, in Scope scope)
    {
        var type = target.TypeInfo.Name;
        var candidates = new List<CompiledProfile>();
        foreach (var tp in typeRef.TargetProfiles)
        {
            if (tp.StartsWith(FhirValidator.CoreProfilePrefix, StringComparison.Ordinal) && tp[FhirValidator.CoreProfilePrefix.Length..] is var core
                && (core == type || core is "Resource" or "DomainResource"))
            {
                return; // the base type itself is allowed: nothing more to conform to
            }

            if (Validator.GetProfile(tp) is { } p && p.Type == type)
            {
                candidates.Add(p);
            }
        }

        if (candidates.Count == 0)
        {
            return;
        }

        var failures = new List<(string Url, IReadOnlyList<ValidationIssue> Errors)>();
        foreach (var p in candidates)
        {
            var errors = TargetErrors(target, p);
            if (errors.Count == 0)
            {
                return;
            }

            failures.Add((p.Url, errors));
        }

        scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.ReferenceProfileNoMatch,
            $"Unable to find a profile match for {reference} among choices: {string.Join(", ", candidates.Select(c => c.Url))}.");
        foreach (var (url, errors) in failures)
        {
            scope.Report(IssueSeverity.Information, IssueTypes.Informational, MessageIds.ReferenceProfileNoMatch,
                $"Details for {reference} matching against profile {url}: {string.Join("; ", errors.Take(3).Select(e => $"{e.Expression}: {e.Message}"))}");
        }
    }

    /// <summary>The errors of <paramref name="target"/> against <paramref name="profile"/>, validated in a scratch run inside the target's own frame.</summary>
    private IReadOnlyList<ValidationIssue> TargetErrors(Resource target, CompiledProfile profile)
    {
        var key = (target, profile.Url);
        if (_targetChecks.Done.TryGetValue(key, out var known))
        {
            return known;
        }

        if (!_targetChecks.InProgress.Add(key))
        {
            return [];
        }

        var scratch = new ValidationRun(Validator, null) { _targetChecks = _targetChecks };
        foreach (var f in _frames.Reverse())
        {
            scratch._frames.Push(f);
        }

        var outer = _frames.Count > 0 ? _frames.Peek() : null;
        var host = outer?.ContainedHost;
        var contained = host is not null && host.Contained.Contains(target);
        scratch._frames.Push(new ResourceFrame(
            target,
            new InvariantContext(target, contained ? outer!.Context.RootResource ?? host : target),
            contained ? host : target as DomainResource,
            outer?.Bundle,
            contained ? outer?.FullUrl : outer?.Bundle?.FullUrlOf(target) ?? outer?.FullUrl));
        scratch.ValidateValue(profile.Root, target, target.TypeInfo.Name, profile, target.TypeInfo.Name);
        var errors = scratch._issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal).ToList();
        _targetChecks.InProgress.Remove(key);
        _targetChecks.Done[key] = errors;
        return errors;
    }
}
