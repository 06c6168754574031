using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Exchange;

/// <summary>One entry of the catalogue: the code, its severity and its message (a detail naming the field may follow).</summary>
public sealed record DiagnosticCode(string Code, DiagnosticSeverity Severity, string Message)
{
    /// <summary>A diagnostic of this code at a location; <paramref name="detail"/> names the field and why, never its value.</summary>
    public Diagnostic At(string file, int line, int column, string? detail = null, string? path = null, string? record = null) =>
        new(Code, Severity, string.IsNullOrEmpty(detail) ? Message : $"{Message}: {detail}", file, line, column) { Path = path, Record = record };
}

/// <summary>Every code the exchange reports (docs/diagnostics.md lists them). A code's severity and message never change.</summary>
public static partial class DiagnosticCatalog
{
    private const DiagnosticSeverity E = DiagnosticSeverity.Error;
    private const DiagnosticSeverity W = DiagnosticSeverity.Warning;

    public static readonly DiagnosticCode RegistryInput = new("REGISTRY_INPUT", E, "the input is not a readable registry");
    public static readonly DiagnosticCode RegistryStructure = new("REGISTRY_STRUCTURE", E, "the file does not have the registry layout");
    public static readonly DiagnosticCode RegistryMalformed = new("REGISTRY_MALFORMED", E, "the row is not well-formed");
    public static readonly DiagnosticCode RegistryRequired = new("REGISTRY_REQUIRED", E, "a required field is empty");
    public static readonly DiagnosticCode RegistryFormat = new("REGISTRY_FORMAT", E, "a field does not have its format");
    public static readonly DiagnosticCode RegistryFields = new("REGISTRY_FIELDS", E, "fields of the record contradict each other");
    public static readonly DiagnosticCode RegistryId = new("REGISTRY_ID", E, "an id is not a FHIR id (1 to 64 of A-Z a-z 0-9 - .)");
    public static readonly DiagnosticCode RegistryDuplicate = new("REGISTRY_DUPLICATE", E, "the id is already used by an earlier record");
    public static readonly DiagnosticCode PatientRefused = new("REGISTRY_PATIENT_REFUSED", E, "the administration's patient is missing or was refused");

    public static readonly DiagnosticCode RuleDoseRange = new("RULE_DOSE_RANGE", E, "the dose is outside 2–5 mg");
    public static readonly DiagnosticCode RuleVolume = new("RULE_VOLUME", E, "the injectate volume must be more than 0 and at most 3 mL");
    public static readonly DiagnosticCode RuleDosePerKg = new("RULE_DOSE_PER_KG", W, "the dose per kg of body weight is outside 0.02–0.06 mg/kg");
    public static readonly DiagnosticCode RuleSedationRange = new("RULE_SEDATION_RANGE", E, "the sedation score is not on the 0–3 scale");
    public static readonly DiagnosticCode RuleNrsRange = new("RULE_NRS_RANGE", E, "an NRS pain score is outside 0–10");
    public static readonly DiagnosticCode RuleReliefDuration = new("RULE_RELIEF_DURATION", E, "the relief outcome and its weeks are inconsistent");
    public static readonly DiagnosticCode RuleDateOrder = new("RULE_DATE_ORDER", E, "a date is before the date it must follow");
    public static readonly DiagnosticCode RuleInterval = new("RULE_INTERVAL", W, "less than 4 weeks since the patient's previous administration");
    public static readonly DiagnosticCode RuleOther = new("RULE_OTHER", E, "a domain rule is broken");

    public static readonly DiagnosticCode ValidationError = new("VALIDATION_ERROR", E, "the mapped resource fails profile validation");
    public static readonly DiagnosticCode ValidationWarning = new("VALIDATION_WARNING", W, "the mapped resource has a profile validation warning");

    public static readonly DiagnosticCode FhirParse = new("FHIR_PARSE", E, "the FHIR content cannot be read");
    public static readonly DiagnosticCode FhirInvalid = new("FHIR_INVALID", E, "the resource fails validation");
    public static readonly DiagnosticCode FhirWarning = new("FHIR_WARNING", W, "the resource has a validation warning");

    public static readonly DiagnosticCode SourceEmpty = new("SOURCE_EMPTY", E, "nothing to read: the source holds no registry and no FHIR resources");
    public static readonly DiagnosticCode SourceDuplicate = new("SOURCE_DUPLICATE", E, "the identifier is already used by a resource read earlier; this one is left out");
    public static readonly DiagnosticCode SourceUnreadable = new("SOURCE_UNREADABLE", E, "the FHIR resources cannot be read as registry records");

    public static readonly DiagnosticCode InboxUnknownFolder = new("INBOX_UNKNOWN_FOLDER", E, "a folder in the inbox must be a registry export (patients.csv + administrations.csv, the pump tables with implants.csv, or registry.json)");
    public static readonly DiagnosticCode InboxUnknownFormat = new("INBOX_UNKNOWN_FORMAT", E, "not a FHIR .json/.xml/.ndjson file or a registry folder");
    public static readonly DiagnosticCode InboxItemTooLarge = new("INBOX_ITEM_TOO_LARGE", E, "the item is over Adapter:Inbox:MaxItemBytes; split it or raise the limit");

    /// <summary>Domain rule code → (catalogue entry, the registry field it concerns).</summary>
    private static readonly Dictionary<string, (DiagnosticCode Code, string Field)> Rules = new(StringComparer.Ordinal)
    {
        ["dose-range"] = (RuleDoseRange, "dose_mg"),
        ["volume"] = (RuleVolume, "volume_ml"),
        ["dose-per-kg"] = (RuleDosePerKg, "weight_kg"),
        ["sedation-range"] = (RuleSedationRange, "sedation"),
        ["nrs-range"] = (RuleNrsRange, "nrs_baseline"),
        ["relief-duration"] = (RuleReliefDuration, "relief_weeks"),
        ["date-order"] = (RuleDateOrder, "date"),
        ["interval"] = (RuleInterval, "date"),
    };

    public static IReadOnlyList<DiagnosticCode> All =>
    [
        RegistryInput, RegistryStructure, RegistryMalformed, RegistryRequired, RegistryFormat, RegistryFields, RegistryId, RegistryDuplicate, PatientRefused,
        RuleDoseRange, RuleVolume, RuleDosePerKg, RuleSedationRange, RuleNrsRange, RuleReliefDuration, RuleDateOrder, RuleInterval, RuleOther,
        ValidationError, ValidationWarning, FhirParse, FhirInvalid, FhirWarning,
        SourceEmpty, SourceDuplicate, SourceUnreadable,
        InboxUnknownFolder, InboxUnknownFormat, InboxItemTooLarge,
        .. PumpCodes,
    ];

    public static DiagnosticCode For(RegistryProblem problem) => problem switch
    {
        RegistryProblem.Required => RegistryRequired,
        RegistryProblem.Format => RegistryFormat,
        RegistryProblem.Id => RegistryId,
        RegistryProblem.Duplicate => RegistryDuplicate,
        RegistryProblem.Malformed => RegistryMalformed,
        RegistryProblem.Structure => RegistryStructure,
        _ => RegistryFields,
    };

    /// <summary>The catalogue entry and registry field for a domain rule code.</summary>
    public static (DiagnosticCode Code, string Field) ForRule(string ruleCode) =>
        Rules.TryGetValue(ruleCode, out var entry) ? entry : (RuleOther, "administration_id");
}
