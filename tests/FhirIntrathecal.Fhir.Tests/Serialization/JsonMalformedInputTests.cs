using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>Bad input yields located issues with stable codes, never an exception; what is valid is still read.</summary>
public class JsonMalformedInputTests
{
    private static ParseResult<Resource> Parse(string json, ParserOptions? options = null) => FhirJsonParser.Parse(json, options);

    private static ParseIssue Single(ParseResult<Resource> r, string code) => Assert.Single(r.Issues, i => i.Code == code);

    [Fact]
    public void Truncated_json_is_a_located_syntax_error_and_keeps_what_was_read()
    {
        var r = Parse("{\"resourceType\":\"Patient\",\"active\":true,\n\"name\":[{\"family\":\"Do");
        var issue = Single(r, ParseCodes.Syntax);
        Assert.Equal(IssueSeverity.Fatal, issue.Severity);
        Assert.Equal(2, issue.Line);
        var patient = Assert.IsType<Patient>(r.Value);
        Assert.Equal(true, patient.Active?.Value);
        Assert.False(r.Success);
    }

    [Fact]
    public void Wrong_json_types_are_reported_per_element_and_the_rest_is_kept()
    {
        var r = Parse("""
            {"resourceType":"Patient","active":"yes","birthDate":1970,"multipleBirthInteger":"2",
             "name":{"family":"Doe"},"gender":"female"}
            """);
        Assert.Equal(3, r.Issues.Count(i => i.Code == ParseCodes.WrongType));
        Assert.Contains(r.Issues, i => i.Code == ParseCodes.WrongType && i.Location == "Patient.active");
        Assert.Contains(r.Issues, i => i.Code == ParseCodes.WrongType && i.Location == "Patient.multipleBirth.ofType(integer)");
        Assert.Contains(r.Issues, i => i.Code == ParseCodes.Cardinality && i.Location == "Patient.name");
        Assert.Equal("female", ((Patient)r.Value!).Gender?.Value);
        Assert.Equal(2, r.Issues.Single(i => i.Location == "Patient.name").Line);
        Assert.Equal(36, r.Issues.Single(i => i.Location == "Patient.active").Column);
    }

    [Fact]
    public void Unknown_elements_are_errors_in_strict_mode_and_warnings_in_lenient_mode()
    {
        const string json = """{"resourceType":"Patient","name":[{"family":"Doe","nickname":"JD"}],"active":true}""";
        var strict = Parse(json);
        var issue = Single(strict, ParseCodes.UnknownElement);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal("Patient.name[0].nickname", issue.Location);
        var lenient = Parse(json, ParserOptions.Lenient);
        Assert.Equal(IssueSeverity.Warning, Single(lenient, ParseCodes.UnknownElement).Severity);
        Assert.True(lenient.Success);
        Assert.Equal("Doe", ((Patient)lenient.Value!).Name[0].Family?.Value);
    }

    [Fact]
    public void Duplicate_keys_and_conflicting_choices_are_errors()
    {
        var r = Parse("""{"resourceType":"Patient","birthDate":"1970","birthDate":"1971","deceasedBoolean":true,"deceasedDateTime":"2020"}""");
        Assert.Equal("Patient.birthDate", Single(r, ParseCodes.DuplicateProperty).Location);
        Single(r, ParseCodes.ChoiceConflict);
        Assert.Equal("1970", ((Patient)r.Value!).BirthDate?.Value);
    }

    [Theory]
    [InlineData("""{"active":true}""", "no resourceType")]
    [InlineData("""{"resourceType":"Patientx"}""", "not an R4 resource type")]
    [InlineData("""{"resourceType":42}""", "no resourceType")]
    [InlineData("""{"resourceType":"Element"}""", "not an R4 resource type")]
    public void Missing_or_wrong_resource_type_is_reported(string json, string message)
    {
        var r = Parse(json);
        Assert.Contains(message, Single(r, ParseCodes.ResourceType).Message);
        Assert.Null(r.Value);
    }

    [Fact]
    public void Expected_type_mismatch_is_reported()
    {
        var r = FhirJsonParser.Parse<Observation>("""{"resourceType":"Patient"}""");
        Assert.Null(r.Value);
        Assert.Contains("Expected a Observation", Assert.Single(r.Issues).Message);
    }

    [Fact]
    public void Ten_thousand_deep_nesting_is_rejected_without_stack_overflow()
    {
        var sb = new StringBuilder("{\"resourceType\":\"Questionnaire\",\"status\":\"draft\"");
        const int depth = 10_000;
        for (var i = 0; i < depth; i++)
        {
            sb.Append(",\"item\":[{\"linkId\":\"x\",\"type\":\"group\"");
        }

        for (var i = 0; i < depth; i++)
        {
            sb.Append("}]");
        }

        sb.Append('}');
        var r = Parse(sb.ToString());
        Assert.Contains(r.Issues, i => i.Code is ParseCodes.TooDeep or ParseCodes.Syntax);
        Assert.False(r.Success);
    }

    [Fact]
    public void A_fifty_megabyte_string_is_read()
    {
        var big = new string('a', 50 * 1024 * 1024);
        var r = Parse("{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"" + big + "\"}");
        Assert.True(r.Success, string.Join("; ", r.Issues));
        Assert.Equal(big.Length, ((Binary)r.Value!).Data!.Value!.Length);
    }

    [Fact]
    public void Invalid_utf8_is_a_located_error()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"gender\":\"fe??\"}");
        bytes[^5] = 0xC3;
        bytes[^4] = 0x28;  // an invalid two-byte sequence
        var r = FhirJsonParser.Parse(bytes);
        Assert.NotEmpty(r.Issues);
        Assert.False(r.Success);
        Assert.All(r.Issues, i => Assert.True(i.Line >= 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"Patient\"")]
    [InlineData("{\"resourceType\":\"Patient\"} {}")]
    public void Non_objects_and_trailing_content_are_errors(string json)
    {
        var r = Parse(json);
        Assert.False(r.Success);
        Assert.NotEmpty(r.Issues);
    }

    [Fact]
    public void Empty_objects_arrays_and_strings_are_errors()
    {
        var r = Parse("""{"resourceType":"Patient","name":[],"telecom":[{}],"gender":""}""");
        Assert.Equal(3, r.Issues.Count(i => i.Code == ParseCodes.Empty));
    }

    [Fact]
    public void Primitive_arrays_align_values_with_their_companions()
    {
        var r = Parse("""
            {"resourceType":"Patient","name":[{"given":["Jim",null,"Bob"],
              "_given":[null,{"extension":[{"url":"http://example.org/x","valueString":"y"}]},{"id":"g3"}]}]}
            """);
        Assert.True(r.Success, string.Join("; ", r.Issues));
        var given = ((Patient)r.Value!).Name[0].Given;
        Assert.Equal(3, given.Count);
        Assert.Null(given[1].Value);
        Assert.Equal("http://example.org/x", given[1].Extension[0].Url);
        Assert.Equal("g3", given[2].Id);
        var written = FhirJsonSerializer.SerializeToString(r.Value!);
        Assert.Contains("\"given\":[\"Jim\",null,\"Bob\"]", written);
        Assert.Contains("\"_given\":[null,{\"extension\"", written);

        var misaligned = Parse("""{"resourceType":"Patient","name":[{"given":["Jim",null]}]}""");
        Assert.Equal("Patient.name[0].given[1]", Single(misaligned, ParseCodes.PrimitiveAlignment).Location);
    }

    /// <summary>
    /// A primitive list item left without value (null, or a value refused) must get an id or extension from its
    /// companion, wherever the companion is and whatever is read between them; nested objects keep their own account.
    /// </summary>
    [Theory]
    [InlineData("""{"resourceType":"Patient","name":[{"given":[null,"x"],"period":{"start":"2020"}}]}""", "Patient.name[0].given[0]")]
    [InlineData("""{"resourceType":"Patient","name":[{"given":["x",5],"period":{"start":"2020"},"family":"F"}]}""", "Patient.name[0].given[1]")]
    [InlineData("""{"resourceType":"Patient","name":[{"_given":[{}],"use":"official"}]}""", "Patient.name[0].given[0]")]
    [InlineData("""{"resourceType":"Patient","name":[{"given":[null]},{"given":["a"],"_given":[{"id":"a1"}]}]}""", "Patient.name[0].given[0]")]
    [InlineData("""{"resourceType":"Patient","name":[{"_given":[{"id":"a"}],"period":{"start":"2020"},"given":[null]}]}""", null)]
    [InlineData("""{"resourceType":"Patient","name":[{"given":[null],"period":{"start":"2020"},"_given":[{"id":"a"}]}]}""", null)]
    public void A_primitive_list_item_without_value_is_checked_against_its_companion(string json, string? misaligned)
    {
        var issues = Parse(json).Issues.Where(i => i.Code == ParseCodes.PrimitiveAlignment).Select(i => i.Location);
        Assert.Equal(misaligned is null ? [] : [misaligned], issues);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":1.5}""", ParseCodes.InvalidValue)]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":99999999999}""", ParseCodes.InvalidValue)]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":1.5}""", ParseCodes.WrongType)]
    [InlineData("""{"resourceType":"Patient","multipleBirthInteger":-1,"contact":[{"name":{"text":"x"}}],"photo":[{"size":-5}]}""", ParseCodes.InvalidValue)]
    public void Numbers_are_checked_against_their_primitive_type(string json, string code) =>
        Assert.Contains(Parse(json).Issues, i => i.Code == code);

    [Fact]
    public void Contained_resources_and_decimals_keep_their_exact_form()
    {
        const string json = """{"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"p1"}],"status":"final","code":{"text":"x"},"subject":{"reference":"#p1"},"valueQuantity":{"value":1.50,"unit":"mg"}}""";
        var r = Parse(json);
        Assert.True(r.Success, string.Join("; ", r.Issues));
        var obs = (Observation)r.Value!;
        Assert.IsType<Patient>(obs.Contained[0]);
        Assert.Equal("1.50", ((Quantity)obs.Value!).Value!.Lexical);
        Assert.Equal(json, FhirJsonSerializer.SerializeToString(obs));
    }

    [Fact]
    public void Every_issue_carries_a_stable_code_and_a_location()
    {
        var r = Parse("""{"resourceType":"Patient","active":1,"foo":{},"name":[{"given":[1]}]}""");
        Assert.All(r.Issues, i =>
        {
            Assert.StartsWith("PARSE_", i.Code);
            Assert.StartsWith("Patient", i.Location);
            Assert.True(i.Line > 0 && i.Column > 0);
        });
    }
}
