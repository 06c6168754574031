using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using static FhirIntrathecal.Fhir.Tests.Validation.NegativeFixture;
using M = FhirIntrathecal.Fhir.Validation.MessageIds;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>For every kind of check, instances that must fail, asserting the message id and the FHIRPath location.</summary>
public sealed class NegativeValidationTests
{
    private const string PatientRules = ProfileBase + "patient-rules";
    private const string ObservationRules = ProfileBase + "observation-rules";

    [Fact]
    public void Missing_required_element_is_a_cardinality_error() =>
        AssertIssue(Json("""{"resourceType":"Observation","code":{"text":"x"}}"""), M.CardinalityMin, "Observation.status");

    [Fact]
    public void Too_many_repetitions_for_a_profile_is_a_cardinality_error() =>
        AssertIssue(Json("""{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"1"}],"name":[{"text":"a"},{"text":"b"}]}""", PatientRules),
            M.CardinalityMax, "Patient.name");

    [Fact]
    public void Impossible_calendar_date_is_a_format_error() =>
        AssertIssue(Validator.Validate(new Patient { BirthDate = new Date("2023-02-30") }), M.PrimitiveFormat, "Patient.birthDate");

    [Fact]
    public void Bad_id_and_code_lexical_forms_are_format_errors()
    {
        var result = Validator.Validate(new Patient { Id = "a b", Gender = new Code(" male") });
        AssertIssue(result, M.PrimitiveFormat, "Patient.id");
        AssertIssue(result, M.PrimitiveFormat, "Patient.gender");
    }

    [Fact]
    public void Element_ids_are_unique_within_a_resource_and_a_contained_resource_is_its_own_scope()
    {
        var result = Json("""
            {"resourceType":"Patient","contained":[{"resourceType":"Practitioner","id":"pr","name":[{"id":"n","text":"c"}]}],
             "name":[{"id":"n","text":"a"},{"id":"n","text":"b"}],"generalPractitioner":[{"reference":"#pr"}]}
            """);
        AssertIssue(result, M.DuplicateElementId, "Patient.name[1]", IssueSeverity.Error);
        Assert.Single(result.Issues, i => i.MessageId == M.DuplicateElementId);
    }

    [Fact]
    public void Fixed_value_mismatch() =>
        AssertIssue(Json("""{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"1"}],"gender":"male"}""", PatientRules), M.FixedMismatch, "Patient.gender");

    [Fact]
    public void Pattern_mismatch() =>
        AssertIssue(Json("""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},"subject":{"reference":"Patient/1"}}""", ObservationRules),
            M.PatternMismatch, "Observation.code");

    [Fact]
    public void Max_value_and_max_length()
    {
        var result = Json("""{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"1"}],"name":[{"family":"Everyman"}],"multipleBirthInteger":7}""", PatientRules);
        AssertIssue(result, M.MaxValue, "Patient.multipleBirth.ofType(integer)");
        AssertIssue(result, M.MaxLength, "Patient.name[0].family");
    }

    [Fact]
    public void Choice_type_not_allowed_by_profile() =>
        AssertIssue(Json("""{"resourceType":"Patient","identifier":[{"system":"urn:mrn","value":"1"}],"multipleBirthBoolean":true}""", PatientRules),
            M.TypeNotAllowed, "Patient.multipleBirth.ofType(boolean)");

    [Fact]
    public void Required_binding_violation() =>
        AssertIssue(Json("""{"resourceType":"Patient","gender":"bogus"}"""), M.BindingRequired, "Patient.gender", IssueSeverity.Error);

    [Fact]
    public void Extensible_binding_violation_is_a_warning() =>
        AssertIssue(Json("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"NOPE"}]}]}"""),
            M.BindingExtensible, "Observation.interpretation[0]", IssueSeverity.Warning);

    [Fact]
    public void Invalid_ucum_unit_in_a_required_ucum_binding() =>
        AssertIssue(Json("""
            {"resourceType":"Observation","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/bodyweight"]},"status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/1"},"effectiveDateTime":"2020-01-01",
             "valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kgg"}}
            """), M.BindingRequired, "Observation.value.ofType(Quantity).code");

    [Fact]
    public void Codes_from_systems_we_do_not_hold_are_information_only()
    {
        var result = Json("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"interpretation":[{"coding":[{"system":"http://snomed.info/sct","code":"123"}]}]}""");
        Assert.True(result.IsValid, string.Join("\n", result.Issues));
        AssertIssue(result, M.BindingUnknownSystem, "Observation.interpretation[0]", IssueSeverity.Information);
    }

    [Fact]
    public void Unknown_code_in_a_code_system_we_hold_and_invalid_ucum_unit()
    {
        var result = Json("""
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"ZZZ"}]},
             "valueQuantity":{"value":1,"system":"http://unitsofmeasure.org","code":"tbl"}}
            """);
        AssertIssue(result, M.CodeUnknownInSystem, "Observation.code.coding[0].code");
        AssertIssue(result, M.UcumInvalid, "Observation.value.ofType(Quantity).code");
    }

    [Fact]
    public void Invariant_failure_reports_the_key() =>
        AssertIssue(Json("""{"resourceType":"Patient","contact":[{"gender":"male"}]}"""), M.Invariant, "Patient.contact[0]");

    [Fact]
    public void Empty_element_breaks_ele_1() =>
        AssertIssue(Validator.Validate(new Patient { Name = [new HumanName()] }), M.Invariant, "Patient.name[0]");

    [Fact]
    public void Closed_slicing_rejects_unmatched_values_and_slice_minimum_is_checked()
    {
        var result = Json("""{"resourceType":"Patient","identifier":[{"system":"urn:other","value":"1"}]}""", PatientRules);
        AssertIssue(result, M.SliceNoMatch, "Patient.identifier[0]");
        AssertIssue(result, M.CardinalityMin, "Patient.identifier");
    }

    [Fact]
    public void Ordered_slicing_rejects_out_of_order_values() =>
        AssertIssue(Json("""{"resourceType":"Patient","identifier":[{"system":"urn:ssn","value":"2"},{"system":"urn:mrn","value":"1"}]}""", PatientRules),
            M.SliceOrder, "Patient.identifier[1]");

    [Fact]
    public void Type_discriminated_choice_slicing_of_a_core_profile_rejects_other_types() =>
        AssertIssue(Json("""
            {"resourceType":"Observation","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/bodyweight"]},"status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/1"},"effectiveDateTime":"2020-01-01",
             "valueString":"heavy"}
            """), M.TypeNotAllowed, "Observation.value.ofType(string)");

    [Fact]
    public void Exists_discriminator_assigns_slices_and_closed_rejects_the_rest()
    {
        var result = Json("""{"resourceType":"Patient","telecom":[{"system":"phone","value":"1"}]}""", ProfileBase + "exists-slicing");
        AssertIssue(result, M.SliceNoMatch, "Patient.telecom[0]");
        AssertIssue(result, M.CardinalityMin, "Patient.telecom");
        Assert.True(Json("""{"resourceType":"Patient","telecom":[{"system":"phone","value":"1","period":{"start":"2020"}}]}""", ProfileBase + "exists-slicing").IsValid);
    }

    [Fact]
    public void Type_discriminator_through_resolve_uses_the_contained_target()
    {
        const string list = """{"resourceType":"List","contained":[{"resourceType":"%T","id":"x"}],"status":"current","mode":"working","entry":[{"item":{"reference":"#x"}}]}""";
        Assert.True(Json(list.Replace("%T", "Patient", StringComparison.Ordinal), ProfileBase + "list-of-patients").IsValid);
        AssertIssue(Json(list.Replace("%T", "Practitioner", StringComparison.Ordinal), ProfileBase + "list-of-patients"), M.SliceNoMatch, "List.entry[0]");
    }

    [Fact]
    public void Unknown_extension_is_an_error_as_in_the_reference_validator_except_under_example_domains_and_when_allowed()
    {
        const string Patient = """{"resourceType":"Patient","extension":[{"url":"http://nowhere.test/x","valueString":"a"}],"modifierExtension":[{"url":"http://nowhere.test/m","valueString":"a"}]}""";
        var result = Json(Patient);
        AssertIssue(result, M.ExtensionUnknown, "Patient.extension[0]", IssueSeverity.Error);
        AssertIssue(result, M.ExtensionUnknown, "Patient.modifierExtension[0]", IssueSeverity.Error);
        AssertIssue(Json("""{"resourceType":"Patient","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-nope","valueString":"a"}]}"""),
            M.ExtensionUnknown, "Patient.extension[0]", IssueSeverity.Error);
        AssertIssue(Json("""{"resourceType":"Patient","extension":[{"url":"http://example.org/x","valueString":"a"}]}"""),
            M.ExtensionUnknown, "Patient.extension[0]", IssueSeverity.Warning);
        var lenient = new Fhir.Validation.FhirValidator(SharedValidator.Instance.Resolver, new Fhir.Validation.FhirValidatorSettings { AllowUnknownExtensions = true });
        var allowed = lenient.ValidateJson(System.Text.Encoding.UTF8.GetBytes(Patient));
        AssertIssue(allowed, M.ExtensionUnknown, "Patient.extension[0]", IssueSeverity.Warning);
        AssertIssue(allowed, M.ExtensionUnknown, "Patient.modifierExtension[0]", IssueSeverity.Error);
    }

    [Fact]
    public void Extension_in_the_wrong_context() =>
        AssertIssue(Json("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"X"}}]}"""),
            M.ExtensionContext, "Observation.extension[0]");

    [Fact]
    public void Extension_value_of_the_wrong_type() =>
        AssertIssue(Json("""{"resourceType":"Patient","birthDate":"2000-01-01","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueString":"noon"}]}}"""),
            M.TypeNotAllowed, "Patient.birthDate.extension[0].value.ofType(string)");

    [Fact]
    public void Non_modifier_extension_used_as_modifier() =>
        AssertIssue(Json("""{"resourceType":"Patient","modifierExtension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"X"}}]}"""),
            M.ExtensionModifierMismatch, "Patient.modifierExtension[0]");

    [Fact]
    public void Reference_to_a_type_the_element_does_not_allow() =>
        AssertIssue(Json("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Medication/1"}}"""),
            M.ReferenceType, "Observation.subject");

    [Fact]
    public void Local_reference_to_a_missing_contained_resource() =>
        AssertIssue(Json("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"#nope"}}"""),
            M.ReferenceNotResolved, "Observation.subject.reference");

    [Fact]
    public void Contained_resource_nobody_references() =>
        AssertIssue(Json("""{"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"p"}],"status":"final","code":{"text":"x"}}"""),
            M.ContainedNotReferenced, "Observation.contained[0]");

    [Fact]
    public void Transaction_entries_need_a_request_and_urn_references_must_resolve()
    {
        var result = Json("""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:0b5d3ab5-8bdf-4d7c-9a2e-7d1b2b2c1d01","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},
                "subject":{"reference":"urn:uuid:0b5d3ab5-8bdf-4d7c-9a2e-7d1b2b2c1d99"}}}]}
            """);
        AssertIssue(result, M.BundleRequest, "Bundle.entry[0]");
        AssertIssue(result, M.ReferenceNotResolved, "Bundle.entry[0].resource.subject.reference");
    }

    [Fact]
    public void Bundle_duplicate_fullUrl_mismatched_id_and_document_first_entry()
    {
        var result = Json("""
            {"resourceType":"Bundle","type":"document","identifier":{"system":"urn:x","value":"1"},"timestamp":"2020-01-01T00:00:00Z","entry":[
              {"fullUrl":"http://x.test/Patient/1","resource":{"resourceType":"Patient","id":"2"}},
              {"fullUrl":"http://x.test/Patient/1","resource":{"resourceType":"Patient","id":"1"}}]}
            """);
        AssertIssue(result, M.BundleFirstEntry, "Bundle.entry[0]");
        AssertIssue(result, M.BundleDuplicate, "Bundle.entry[1]");
        AssertIssue(result, M.BundleFullUrl, "Bundle.entry[0].fullUrl");
    }

    [Theory]
    [InlineData("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>alert(1)</script></div>", M.NarrativeUnsafe)]
    [InlineData("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p onclick=\\\"x()\\\">a</p></div>", M.NarrativeUnsafe)]
    [InlineData("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p style=\\\"background:url(http://evil.test/x.png)\\\">a</p></div>", M.NarrativeUnsafe)]
    [InlineData("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p>a</div>", M.NarrativeInvalid)]
    public void Unsafe_or_broken_narrative(string div, string messageId) =>
        AssertIssue(Json($$$"""{"resourceType":"Patient","text":{"status":"generated","div":"{{{div}}}"}}"""), messageId, "Patient.text.div");

    [Fact]
    public void Declared_profiles_unknown_or_for_another_type()
    {
        var result = Json($$$"""{"resourceType":"Patient","meta":{"profile":["http://nowhere.test/p","{{{ObservationRules}}}"]}}""");
        AssertIssue(result, M.ProfileUnknown, "Patient.meta.profile", IssueSeverity.Warning);
        AssertIssue(result, M.ProfileWrongType, "Patient");
    }

    [Fact]
    public void Unknown_json_property_is_reported_with_its_position()
    {
        var result = Json("{\"resourceType\":\"Patient\",\n \"bogus\":1}");
        var issue = Assert.Single(result.Issues, i => i.MessageId == ParseCodes.UnknownElement);
        Assert.Equal(2, issue.Line);
    }

    [Fact]
    public void Validation_issues_carry_line_and_column_and_convert_to_an_OperationOutcome()
    {
        var result = Json("{\"resourceType\":\"Patient\",\n \"gender\":\"bogus\"}");
        var issue = Assert.Single(result.Issues, i => i.MessageId == M.BindingRequired);
        Assert.Equal(2, issue.Line);
        var outcome = result.ToOperationOutcome();
        var oi = Assert.Single(outcome.Issue, i => i.Details?.Coding[0].Code?.Value == M.BindingRequired);
        Assert.Equal("error", oi.Severity?.Value);
        Assert.Equal("Patient.gender", oi.Expression[0].Value);
    }
}
