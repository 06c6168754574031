using System.Text;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Validation;
using static FhirIntrathecal.Fhir.Tests.Validation.NegativeFixture;
using M = FhirIntrathecal.Fhir.Validation.MessageIds;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>Validation issues for XML input carry the line/column of the element's start tag, like JSON ones carry theirs.</summary>
public sealed class XmlPositionTests
{
    // gender: line 4, its '<' at column 3; birthDate: line 5, its '<' at column 5.
    private const string Xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<Patient xmlns=\"http://hl7.org/fhir\">\n" +
        "  <active value=\"true\"/>\n" +
        "  <gender value=\"bogus\"/>\n" +
        "    <birthDate value=\"2023-02-30\"/>\n" +
        "</Patient>\n";

    private const string JsonText =
        "{\"resourceType\":\"Patient\",\n" +
        "  \"active\":true,\n" +
        "  \"gender\":\"bogus\",\n" +
        "    \"birthDate\":\"2023-02-30\"}";

    public static TheoryData<string> Inputs => ["bytes", "string", "stream", "crlf", "bom"];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Xml_validation_issues_carry_the_start_tag_position(string input)
    {
        var positions = new PositionMap();
        var parsed = Parse(input, positions);
        var result = Validator.Validate(parsed, null, positions);

        var gender = Issue(result, M.BindingRequired, "Patient.gender");
        Assert.Equal((4, 3), (gender.Line, gender.Column));
        var birthDate = Issue(result, M.PrimitiveFormat, "Patient.birthDate");
        Assert.Equal((5, 5), (birthDate.Line, birthDate.Column));
    }

    [Fact]
    public void ValidateXml_parses_with_positions()
    {
        var result = Validator.ValidateXml(Encoding.UTF8.GetBytes(Xml));
        var gender = Issue(result, M.BindingRequired, "Patient.gender");
        Assert.Equal((4, 3), (gender.Line, gender.Column));
    }

    [Fact]
    public void Columns_count_characters_of_a_line_with_non_ascii_text()
    {
        var xml = Xml.Replace("<active value=\"true\"/>\n  <gender", "<active value=\"true\"/><!-- é --><gender", StringComparison.Ordinal);
        var result = Validator.ValidateXml(Encoding.UTF8.GetBytes(xml));
        var gender = Issue(result, M.BindingRequired, "Patient.gender");
        // 2 spaces + 22 for <active .../> + 10 for the comment: '<' is the 35th character (the 36th byte), as XmlReader counts.
        Assert.Equal((3, 35), (gender.Line, gender.Column));
    }

    [Fact]
    public void The_same_resource_as_json_keeps_its_json_positions()
    {
        var result = Json(JsonText);
        var gender = Issue(result, M.BindingRequired, "Patient.gender");
        Assert.Equal((3, 12), (gender.Line, gender.Column));
        var birthDate = Issue(result, M.PrimitiveFormat, "Patient.birthDate");
        Assert.Equal((4, 17), (birthDate.Line, birthDate.Column));
    }

    [Fact]
    public void Xml_without_positions_has_no_line_for_validation_issues()
    {
        var result = Validator.Validate(FhirXmlParser.Parse(Xml));
        var gender = Issue(result, M.BindingRequired, "Patient.gender");
        Assert.Equal((0, 0), (gender.Line, gender.Column));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Parsing_with_positions_does_not_change_the_model(string input)
    {
        var positions = new PositionMap();
        var with = Parse(input, positions);
        var without = Parse(input, null);
        Assert.NotNull(with.Value);
        Assert.True(with.Value.IsExactly(without.Value));
        Assert.Equal(without.Issues, with.Issues);
        Assert.True(positions.Count >= 4, $"expected the resource and its elements recorded, got {positions.Count}");
        Assert.Equal((2, 1), positions.Find(with.Value));
    }

    [Fact]
    public void Json_parsing_with_positions_does_not_change_the_model()
    {
        var bytes = Encoding.UTF8.GetBytes(JsonText);
        var with = FhirJsonParser.Parse(bytes, ParserOptions.Strict, new PositionMap());
        var without = FhirJsonParser.Parse(bytes);
        Assert.True(with.Value!.IsExactly(without.Value));
    }

    private static ParseResult<FhirIntrathecal.Fhir.Model.Resource> Parse(string input, PositionMap? positions) => input switch
    {
        "bytes" => FhirXmlParser.Parse(Encoding.UTF8.GetBytes(Xml), null, positions),
        "string" => FhirXmlParser.Parse(Xml, null, positions),
        "stream" => FhirXmlParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Xml)), null, positions),
        "crlf" => FhirXmlParser.Parse(Encoding.UTF8.GetBytes(Xml.Replace("\n", "\r\n", StringComparison.Ordinal)).AsSpan(), null, positions),
        "bom" => FhirXmlParser.Parse([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Xml)], null, positions),
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    private static ValidationIssue Issue(ValidationResult result, string messageId, string expression) =>
        result.Issues.FirstOrDefault(i => i.MessageId == messageId && i.Expression == expression)
        ?? throw new Xunit.Sdk.XunitException($"expected {messageId} at {expression}; got:\n" + string.Join("\n", result.Issues));
}
