using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// The project's FHIR validator behind the <see cref="IResourceValidator"/> seam (Adapter:Validation:Enabled): base
/// resource rules plus the profiles in meta.profile, from the FHIR package cache (`fhir-intrathecal packages
/// restore`) and the embedded IG. Errors keep the record out of the outbox and go to the quarantine report, located.
/// </summary>
public sealed class ProfileValidator(FhirValidator validator) : IResourceValidator
{
    /// <summary>R4 core, HL7 terminology and our IG (embedded), so meta.profile of our own profiles is checked.</summary>
    public static ProfileValidator Create(string? packageCache) =>
        new(FhirIntrathecal.Mapping.Fhir.IntrathecalIg.CreateValidator(new PackageCache(packageCache)));

    public IReadOnlyList<InputError> Validate(Resource resource, string file, long line)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var result = validator.Validate(resource);
        return result.Issues
            .Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal)
            .Select(i => new InputError(file, i.Line > 0 ? i.Line : line, i.Column, i.Expression, i.MessageId, i.Message))
            .ToList();
    }
}
