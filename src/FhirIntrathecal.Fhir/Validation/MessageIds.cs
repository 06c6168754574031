namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Stable message ids of validation issues (documented in docs/validation-messages.md). Part of the public contract:
/// never rename or reuse one; add new ids instead.
/// </summary>
public static class MessageIds
{
    /// <summary>Prefix of parse issues carried into a validation result (their code follows: PARSE_UNKNOWN_ELEMENT...).</summary>
    public const string System = "http://fhir-intrathecal.dev/validation-message";

    public const string CardinalityMin = "VAL_CARDINALITY_MIN";
    public const string CardinalityMax = "VAL_CARDINALITY_MAX";
    public const string TypeNotAllowed = "VAL_TYPE_NOT_ALLOWED";
    public const string UnknownElement = "VAL_UNKNOWN_ELEMENT";
    public const string PrimitiveFormat = "VAL_PRIMITIVE_FORMAT";
    public const string FixedMismatch = "VAL_FIXED_MISMATCH";
    public const string PatternMismatch = "VAL_PATTERN_MISMATCH";
    public const string MinValue = "VAL_MIN_VALUE";
    public const string MaxValue = "VAL_MAX_VALUE";
    public const string MaxLength = "VAL_MAX_LENGTH";
    public const string MinLength = "VAL_MIN_LENGTH";
    public const string BindingRequired = "VAL_BINDING_REQUIRED";
    public const string BindingExtensible = "VAL_BINDING_EXTENSIBLE";
    public const string BindingUnknownSystem = "VAL_BINDING_UNKNOWN_SYSTEM";
    public const string BindingNoCode = "VAL_BINDING_NO_CODE";
    public const string BindingCodeSystem = "VAL_BINDING_CODE_SYSTEM";
    public const string CodeUnknownInSystem = "VAL_CODE_UNKNOWN_IN_SYSTEM";
    public const string UcumInvalid = "VAL_UCUM_INVALID";
    public const string Invariant = "VAL_INVARIANT";
    public const string InvariantError = "VAL_INVARIANT_EVALUATION";
    public const string SliceNoMatch = "VAL_SLICE_NO_MATCH";
    public const string SliceOrder = "VAL_SLICE_ORDER";
    public const string ExtensionUnknown = "VAL_EXTENSION_UNKNOWN";
    public const string ExtensionContext = "VAL_EXTENSION_CONTEXT";
    public const string ExtensionNoUrl = "VAL_EXTENSION_NO_URL";
    public const string ExtensionModifierMismatch = "VAL_EXTENSION_MODIFIER";
    public const string ReferenceType = "VAL_REFERENCE_TYPE";
    public const string ReferenceNotResolved = "VAL_REFERENCE_NOT_RESOLVED";
    public const string ContainedNotReferenced = "VAL_CONTAINED_UNREFERENCED";
    public const string BundleFullUrl = "VAL_BUNDLE_FULLURL";
    public const string BundleDuplicate = "VAL_BUNDLE_DUPLICATE";
    public const string BundleRequest = "VAL_BUNDLE_REQUEST";
    public const string BundleFirstEntry = "VAL_BUNDLE_FIRST_ENTRY";
    public const string NarrativeUnsafe = "VAL_NARRATIVE_UNSAFE";
    public const string NarrativeInvalid = "VAL_NARRATIVE_INVALID";
    public const string ProfileUnknown = "VAL_PROFILE_UNKNOWN";
    public const string ProfileWrongType = "VAL_PROFILE_WRONG_TYPE";
    public const string ProfileUnknownType = "VAL_PROFILE_UNKNOWN_TYPE_PROFILE";
    public const string ProfileNoMatch = "VAL_PROFILE_NO_MATCH";
    public const string InternalError = "VAL_INTERNAL_ERROR";
    public const string AttachmentSize = "VAL_ATTACHMENT_SIZE";
    public const string QuestionnaireEnableWhen = "VAL_QUESTIONNAIRE_ENABLEWHEN";
    public const string QuestionnaireResponseItem = "VAL_QR_ITEM";
    public const string QuestionnaireResponseAnswer = "VAL_QR_ANSWER";
    public const string QuestionnaireResponseRequired = "VAL_QR_REQUIRED";
    public const string QuestionnaireResponseNotEnabled = "VAL_QR_NOT_ENABLED";
    public const string MeasureReport = "VAL_MEASURE_REPORT";
    public const string SearchParameter = "VAL_SEARCH_PARAMETER";
    public const string StructureDefinition = "VAL_STRUCTURE_DEFINITION";
    public const string StringTooLong = "VAL_STRING_TOO_LONG";
    public const string ReferenceTargetMismatch = "VAL_REFERENCE_TARGET_MISMATCH";
    public const string BundleLinkNotFound = "VAL_BUNDLE_LINK_NOT_FOUND";
    public const string BundleLinkMultiple = "VAL_BUNDLE_LINK_MULTIPLE";
    public const string BundleLinkFullUrlRules = "VAL_BUNDLE_LINK_FULLURL_RULES";
    public const string BundleEntryOrphan = "VAL_BUNDLE_ENTRY_ORPHAN";
    public const string BundleEntryReverse = "VAL_BUNDLE_ENTRY_REVERSE";
    public const string BundleLink = "VAL_BUNDLE_LINK";
    public const string BundleLinkExternal = "VAL_BUNDLE_LINK_EXTERNAL";
    public const string BundleReferenceMultiple = "VAL_BUNDLE_REFERENCE_MULTIPLE";
    public const string DuplicateElementId = "VAL_DUPLICATE_ELEMENT_ID";
    public const string ReferenceProfileNoMatch = "VAL_REFERENCE_PROFILE_NO_MATCH";
}
