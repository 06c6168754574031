using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Validation;
using static FhirIntrathecal.Fhir.Tests.Validation.NegativeFixture;
using M = FhirIntrathecal.Fhir.Validation.MessageIds;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>References inside documents and messages: Bundle resolution rules, reachability from the Composition, stylesheet links, fullUrl/id agreement.</summary>
public sealed class BundleDocumentTests
{
    private const string Composition = """
        {"resourceType":"Composition","id":"c1","status":"final","type":{"text":"note"},"date":"2024-01-01","title":"t",
         "subject":{"reference":"Patient/p1"},"author":[{"reference":"Patient/p1"}]%SECTIONS%}
        """;

    private static ValidationResult Document(string composition, string compositionFullUrl, params (string FullUrl, string Resource)[] more)
    {
        var entries = new List<string> { $$"""{"fullUrl":"{{compositionFullUrl}}","resource":{{composition}}}""" };
        entries.AddRange(more.Select(m => $$"""{"fullUrl":"{{m.FullUrl}}","resource":{{m.Resource}}}"""));
        return Json($$"""{"resourceType":"Bundle","type":"document","identifier":{"system":"urn:ietf:rfc:3986","value":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"},"timestamp":"2024-01-01T00:00:00Z","entry":[{{string.Join(",", entries)}}]}""");
    }

    private static string Comp(string sections = "") => Composition.Replace("%SECTIONS%", sections, StringComparison.Ordinal);

    private static List<ValidationIssue> Errors(ValidationResult r, string id) => r.Issues.Where(i => i.MessageId == id && i.Severity is IssueSeverity.Error).ToList();

    [Fact]
    public void A_document_whose_links_resolve_by_restful_base_has_no_link_errors()
    {
        var result = Document(Comp(), "http://a.example/fhir/Composition/c1", ("http://a.example/fhir/Patient/p1", """{"resourceType":"Patient","id":"p1"}"""));
        Assert.DoesNotContain(result.Issues, i => i.MessageId.StartsWith("VAL_BUNDLE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_relative_reference_from_a_uuid_entry_does_not_match_a_type_and_id_under_another_fullUrl()
    {
        var result = Document(Comp(), "urn:uuid:10a67a86-a9ec-427e-ba3f-f042cef21733", ("urn:uuid:2aaf815f-3ebe-4a03-9b87-05d0700313b2", """{"resourceType":"Patient","id":"p1"}"""));
        AssertIssue(result, M.BundleLinkFullUrlRules, "Bundle.entry[0].resource.subject", IssueSeverity.Error);
        AssertIssue(result, M.BundleLinkFullUrlRules, "Bundle.entry[0].resource.author[0]", IssueSeverity.Error);
        AssertIssue(result, M.BundleEntryOrphan, "Bundle.entry[1]", IssueSeverity.Error);
    }

    [Fact]
    public void A_restful_fullUrl_needs_the_resource_id_and_an_unresolved_composition_link_is_an_error()
    {
        var result = Document(Comp().Replace("\"id\":\"c1\",", "", StringComparison.Ordinal), "http://a.example/fhir/Composition/c1",
            ("http://a.example/fhir/Patient/p1", """{"resourceType":"Patient"}"""));
        AssertIssue(result, M.BundleFullUrl, "Bundle.entry[0].fullUrl", IssueSeverity.Error);
        AssertIssue(result, M.BundleFullUrl, "Bundle.entry[1].fullUrl", IssueSeverity.Error);
        AssertIssue(result, M.BundleLinkNotFound, "Bundle.entry[0].resource.subject", IssueSeverity.Error);
        Assert.Single(Errors(result, M.BundleEntryOrphan));
    }

    [Fact]
    public void Two_versions_under_one_fullUrl_make_a_version_independent_reference_ambiguous()
    {
        const string Obs = """{"resourceType":"Observation","id":"o1","meta":{"versionId":"%V%"},"status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}""";
        var result = Document(Comp(""","section":[{"title":"s","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">s</div>"},"entry":[{"reference":"Observation/o1"},{"reference":"Observation/o1/_history/1"}]}]"""),
            "http://a.example/fhir/Composition/c1",
            ("http://a.example/fhir/Patient/p1", """{"resourceType":"Patient","id":"p1"}"""),
            ("http://a.example/fhir/Observation/o1", Obs.Replace("%V%", "1", StringComparison.Ordinal)),
            ("http://a.example/fhir/Observation/o1", Obs.Replace("%V%", "2", StringComparison.Ordinal)));
        AssertIssue(result, M.BundleReferenceMultiple, "Bundle.entry[0].resource.section[0].entry[0]", IssueSeverity.Error);
        AssertIssue(result, M.BundleLinkMultiple, "Bundle.entry[0].resource.section[0].entry[0]", IssueSeverity.Error);
        Assert.Empty(Errors(result, M.BundleLinkNotFound)); // the versioned reference names one entry by fullUrl/_history/1
        Assert.Empty(Errors(result, M.BundleEntryOrphan));
    }

    [Fact]
    public void Stylesheet_links_resolve_in_the_document_and_reach_their_entry()
    {
        var bundle = """
            {"resourceType":"Bundle","type":"document","identifier":{"system":"urn:ietf:rfc:3986","value":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"},"timestamp":"2024-01-01T00:00:00Z",
             "link":[{"relation":"stylesheet","url":"Binary/css"},{"relation":"stylesheet","url":"Binary/none"},{"relation":"next","url":"http://a.example/x"}],
             "entry":[{"fullUrl":"http://a.example/fhir/Composition/c1","resource":%C%},
                      {"fullUrl":"http://a.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1"}},
                      {"fullUrl":"http://a.example/fhir/Binary/css","resource":{"resourceType":"Binary","id":"css","contentType":"text/css"}}]}
            """.Replace("%C%", Comp(), StringComparison.Ordinal);
        var result = Json(bundle);
        AssertIssue(result, M.BundleLink, "Bundle.link[1].url", IssueSeverity.Error);
        AssertIssue(result, M.BundleLink, "Bundle.link[2].relation", IssueSeverity.Error);
        Assert.Empty(Errors(result, M.BundleEntryOrphan));
    }

    [Fact]
    public void An_entry_reached_only_backwards_is_a_warning_and_provenance_is_expected_that_way()
    {
        var result = Document(Comp(), "http://a.example/fhir/Composition/c1",
            ("http://a.example/fhir/Patient/p1", """{"resourceType":"Patient","id":"p1"}"""),
            ("http://a.example/fhir/Observation/o1", """{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}"""),
            ("http://a.example/fhir/Provenance/v1", """{"resourceType":"Provenance","id":"v1","target":[{"reference":"Composition/c1"}],"recorded":"2024-01-01T00:00:00Z","agent":[{"who":{"display":"x"}}]}"""));
        AssertIssue(result, M.BundleEntryReverse, "Bundle.entry[2]", IssueSeverity.Warning);
        Assert.DoesNotContain(result.Issues, i => i.MessageId == M.BundleEntryReverse && i.Expression == "Bundle.entry[3]");
        Assert.Empty(Errors(result, M.BundleEntryOrphan));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(",\"identifier\":[{\"system\":\"urn:mrn\",\"value\":\"1\"}]", false)]
    public void A_bundled_reference_target_must_conform_to_a_target_profile(string identifier, bool fails)
    {
        var result = Json("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:6a1f7e44-7cde-4bdc-8d43-0c3f6d8b1a10","resource":{"resourceType":"Observation","meta":{"profile":["%P%observation-on-identified-patient"]},
                "status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:8e2b5a2c-2e0c-4d5b-9b77-9d1f0f4f5a11"}}},
              {"fullUrl":"urn:uuid:8e2b5a2c-2e0c-4d5b-9b77-9d1f0f4f5a11","resource":{"resourceType":"Patient"%I%}}]}
            """.Replace("%P%", ProfileBase, StringComparison.Ordinal).Replace("%I%", identifier, StringComparison.Ordinal));
        Assert.Equal(fails, Errors(result, M.ReferenceProfileNoMatch).Any(i => i.Expression == "Bundle.entry[0].resource.subject"));
        Assert.Equal(fails ? 1 : 0, result.ErrorCount);
    }

    [Fact]
    public void A_message_entry_nothing_links_to_is_a_warning_not_an_error()
    {
        var result = Json("""
            {"resourceType":"Bundle","type":"message","timestamp":"2024-01-01T00:00:00Z","entry":[
              {"fullUrl":"urn:uuid:6a1f7e44-7cde-4bdc-8d43-0c3f6d8b1a10","resource":{"resourceType":"MessageHeader","eventCoding":{"system":"http://example.org/events","code":"x"},"source":{"endpoint":"http://a.example/src"},"focus":[{"reference":"urn:uuid:8e2b5a2c-2e0c-4d5b-9b77-9d1f0f4f5a11"}]}},
              {"fullUrl":"urn:uuid:8e2b5a2c-2e0c-4d5b-9b77-9d1f0f4f5a11","resource":{"resourceType":"Patient"}},
              {"fullUrl":"urn:uuid:0f3d28ae-4c27-49eb-987d-c35d536b40f8","resource":{"resourceType":"Patient"}}]}
            """);
        AssertIssue(result, M.BundleEntryOrphan, "Bundle.entry[2]", IssueSeverity.Warning);
        Assert.Empty(Errors(result, M.BundleEntryOrphan));
        Assert.Empty(Errors(result, M.BundleLinkNotFound));
    }
}
