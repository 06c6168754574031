using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Exchange.FhirInput;

/// <summary>
/// What FHIR input is validated against: R4 core, HL7 terminology, our IG (always, embedded) and every <c>--ig</c>
/// (JSON, XML, NDJSON, Bundles, folders, .tgz). <see cref="UnknownProfiles"/> lists the requested <c>--profile</c>s that
/// resolve to no StructureDefinition (a configuration error for the caller); an unresolvable <c>meta.profile</c> is only
/// the validator's warning.
/// </summary>
public sealed record ValidationSetup(ConformanceSet Conformance, IReadOnlyList<string> Profiles, IReadOnlyList<string> UnknownProfiles)
{
    public static ValidationSetup Load(IEnumerable<string> igs, IEnumerable<string> profiles, IEnumerable<Resource>? extra = null)
    {
        var conformance = ConformanceLoader.Load(igs ?? [], extra: IntrathecalIg.ConformanceResources.Concat(extra ?? []));
        var requested = (profiles ?? []).ToList();
        return new ValidationSetup(conformance, requested, requested.Where(p => conformance.Resolver.Resolve<StructureDefinition>(p) is null).ToList());
    }

    /// <summary>An <c>--ig</c> could not be read or held nothing, or a <c>--profile</c> is unknown.</summary>
    public bool HasConfigurationErrors => Conformance.HasErrors || UnknownProfiles.Count > 0;

    public FhirValidator CreateValidator(FhirValidatorSettings? settings = null) => new(Conformance.Resolver, settings);
}
