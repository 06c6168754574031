using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Views.Tests;

public class ViewDefinitionReaderTests
{
    private static ViewIssue Single(string json)
    {
        var result = ViewDefinitionReader.Read(json);
        Assert.Null(result.View);
        return Assert.Single(result.Issues);
    }

    [Fact]
    public void An_undefined_constant_is_refused_at_the_expression_that_uses_it()
    {
        var issue = Single("""
            {
              "resource": "Patient",
              "constant": [{ "name": "use", "valueString": "official" }],
              "select": [{ "column": [{ "name": "n", "path": "name.where(use = %wrong).family" }] }]
            }
            """);
        Assert.Equal(ViewCodes.UnknownConstant, issue.Code);
        Assert.Equal("select[0].column[0].path", issue.Path);
        Assert.Equal((4L, 50L), (issue.Line, issue.Column));
        Assert.Contains("%wrong", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnionAll_branches_with_other_columns_are_refused_at_the_second_branch()
    {
        var issue = Single("""
            {"resource": "Patient", "select": [{"unionAll": [
              {"column": [{"name": "a", "path": "id"}]},
              {"column": [{"name": "b", "path": "id"}]}
            ]}]}
            """);
        Assert.Equal(ViewCodes.UnionColumns, issue.Code);
        Assert.Equal("select[0].unionAll[1]", issue.Path);
        Assert.Equal((3L, 3L), (issue.Line, issue.Column));
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var result = ViewDefinitionReader.Read("""
            {"resource": "Patien", "select": [{"forEach": 1, "column": [{"name": "1x", "path": "id"}, {"path": "id"}]}], "colour": "red"}
            """);
        Assert.Null(result.View);
        Assert.Equal(
            [ViewCodes.Name, ViewCodes.Required, ViewCodes.Resource, ViewCodes.UnknownProperty, ViewCodes.WrongKind],
            result.Issues.Select(i => i.Code).Order(StringComparer.Ordinal));
        Assert.All(result.Issues, i => Assert.True(i.Line == 1 && i.Column > 1, i.ToString()));
    }

    [Fact]
    public void Malformed_JSON_is_a_located_error()
    {
        var issue = Single("{\n  \"resource\": \"Patient\",\n  \"select\": [\n}");
        Assert.Equal(ViewCodes.Json, issue.Code);
        Assert.Equal(4L, issue.Line);
        Assert.StartsWith("bad.json:4:", issue.Format("bad.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_that_is_not_a_collection_fails_the_resource_with_a_located_issue()
    {
        var view = ViewDefinitionReader.Read("""
            {"resource": "Patient",
             "select": [{"column": [{"name": "family", "path": "name.family"}]}]}
            """).View!;
        var patient = FhirJsonParser.Parse<Patient>("""{"resourceType": "Patient", "id": "p1", "name": [{"family": "A"}, {"family": "B"}]}""").Value!;
        var e = Assert.Throws<ViewEvaluationException>(() => new ViewRunner(view).Run(patient));
        Assert.Equal(ViewCodes.NotSingle, e.Issue.Code);
        Assert.Equal("Patient/p1", e.Issue.Subject);
        Assert.Equal("select[0].column[0].path", e.Issue.Path);
        Assert.Equal(2L, e.Issue.Line);
    }

    [Fact]
    public void Reference_keys_match_resource_keys_across_relative_absolute_and_versioned_references()
    {
        var patient = FhirJsonParser.Parse<Patient>("""
            {"resourceType": "Patient", "id": "p1", "link": [
              {"other": {"reference": "Patient/p1"}, "type": "seealso"},
              {"other": {"reference": "http://example.org/fhir/Patient/p1/_history/3"}, "type": "seealso"},
              {"other": {"reference": "RelatedPerson/p1"}, "type": "seealso"},
              {"other": {"reference": "#contained"}, "type": "seealso"}]}
            """).Value!;
        Assert.Equal(["Patient/p1"], FhirPathEvaluator.Evaluate(patient, "getResourceKey()").Cast<string>());
        Assert.Equal(["Patient/p1", "Patient/p1", "RelatedPerson/p1"], FhirPathEvaluator.Evaluate(patient, "link.other.getReferenceKey()").Cast<string>());
        Assert.Equal(["Patient/p1", "Patient/p1"], FhirPathEvaluator.Evaluate(patient, "link.other.getReferenceKey(Patient)").Cast<string>());
        Assert.Empty(FhirPathEvaluator.Evaluate(patient, "link.other.getReferenceKey(Observation)"));
    }
}
