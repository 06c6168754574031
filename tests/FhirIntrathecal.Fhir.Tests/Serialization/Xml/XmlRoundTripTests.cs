using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

public class XmlRoundTripTests
{
    [Theory]
    [MemberData(nameof(TestFiles.XmlExamples), MemberType = typeof(TestFiles))]
    public void Every_xml_example_survives_xml_model_xml(string file)
    {
        var xml = TestFiles.Read(file);
        var first = FhirXmlParser.Parse(xml);
        Assert.True(first.Success, string.Join("\n", first.Issues));

        var written = FhirXmlSerializer.SerializeToString(first.Value!);
        var second = FhirXmlParser.Parse(written);
        Assert.True(second.Success, string.Join("\n", second.Issues) + "\n" + written);
        Assert.True(first.Value!.IsExactly(second.Value), written);

        // Writing is deterministic: the re-read model writes the same bytes.
        Assert.Equal(written, FhirXmlSerializer.SerializeToString(second.Value!));
        // Pretty printing only adds whitespace between FHIR elements, never inside values or the div.
        var pretty = FhirXmlParser.Parse(FhirXmlSerializer.SerializeToString(second.Value!, pretty: true));
        Assert.True(pretty.Success && first.Value.IsExactly(pretty.Value), string.Join("\n", pretty.Issues));
        Assert.Equal(XmlCanonical.Canonicalize(xml), XmlCanonical.Canonicalize(written));
    }

    [Fact]
    public void Decimal_precision_is_kept_exactly()
    {
        var result = FhirXmlParser.Parse<Observation>(TestFiles.Read("observation-decimal.xml"));
        Assert.True(result.Success, string.Join("\n", result.Issues));
        var values = result.Value!.Component.Select(c => ((Quantity)c.Value!).Value!.Lexical).ToList();
        Assert.Equal(["1.0", "1.00", "1.0e0", "0.0000000000000000000001", "1000000000000000000", "1.000000000000000000e-245", "-1.000000000000000000e245"], values);
        var written = FhirXmlSerializer.SerializeToString(result.Value!);
        Assert.Contains("<value value=\"1.00\" />", written, StringComparison.Ordinal);
        Assert.Contains("<value value=\"-1.000000000000000000e245\" />", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Narrative_div_is_held_as_xhtml_markup_like_fhir_json()
    {
        var result = FhirXmlParser.Parse<Patient>(TestFiles.Read("patient-glossy-example.xml"));
        Assert.True(result.Success, string.Join("\n", result.Issues));
        Assert.Equal("<div xmlns=\"http://www.w3.org/1999/xhtml\">\n      <p>Henry Levin the 7th</p>\n      <p>MRN: 123456. Male, 24-Sept 1932</p>\n    </div>",
            result.Value!.Text!.Div!.Value);
    }

    [Fact]
    public void Primitives_with_id_and_extensions_but_no_value_round_trip()
    {
        const string xml = """
            <Patient xmlns="http://hl7.org/fhir">
              <name><given value="A"/><given value="B"/></name>
              <birthDate id="bd">
                <extension url="http://hl7.org/fhir/StructureDefinition/data-absent-reason"><valueCode value="unknown"/></extension>
              </birthDate>
            </Patient>
            """;
        var result = FhirXmlParser.Parse<Patient>(xml);
        Assert.True(result.Success, string.Join("\n", result.Issues));
        var p = result.Value!;
        Assert.Null(p.BirthDate!.Value);
        Assert.Equal("bd", p.BirthDate.Id);
        Assert.Equal("unknown", ((Code)p.BirthDate.Extension[0].Value!).Value);
        var written = FhirXmlSerializer.SerializeToString(p);
        Assert.Equal("<Patient xmlns=\"http://hl7.org/fhir\"><name><given value=\"A\" /><given value=\"B\" /></name><birthDate id=\"bd\"><extension url=\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\"><valueCode value=\"unknown\" /></extension></birthDate></Patient>", written);
    }

    [Fact]
    public void Contained_and_bundle_resources_are_wrapped_in_their_type_element()
    {
        var bundle = new Bundle { Type = "collection" };
        var patient = new Patient { Id = "p1", Active = true };
        patient.Contained.Add(new Organization { Id = "o1", Name = "Org" });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:0d8c7a2e-4b1e-4b2e-9d2a-1c2b3d4e5f60", Resource = patient });
        var written = FhirXmlSerializer.SerializeToString(bundle);
        Assert.Contains("<resource><Patient><id value=\"p1\" /><contained><Organization><id value=\"o1\" /><name value=\"Org\" /></Organization></contained><active value=\"true\" /></Patient></resource>", written, StringComparison.Ordinal);
        var back = FhirXmlParser.Parse<Bundle>(written);
        Assert.True(back.Success, string.Join("\n", back.Issues));
        Assert.True(bundle.IsExactly(back.Value));
    }

    [Fact]
    public void Strings_keep_newlines_tabs_and_markup_characters()
    {
        var p = new Patient();
        p.Name.Add(new HumanName { Text = "a\nb\tc\r\nd <&> \"q\" 'x' é 😀" });
        var written = FhirXmlSerializer.SerializeToString(p);
        var back = FhirXmlParser.Parse<Patient>(written);
        Assert.True(back.Success, string.Join("\n", back.Issues));
        Assert.Equal(p.Name[0].Text!.Value, back.Value!.Name[0].Text!.Value);
    }

    [Fact]
    public void Stream_span_and_string_inputs_agree_and_stream_output_is_utf8_with_declaration()
    {
        var xml = TestFiles.Read("observation-example.xml");
        var bytes = System.Text.Encoding.UTF8.GetBytes(xml);
        var a = FhirXmlParser.Parse(xml).Value!;
        var b = FhirXmlParser.Parse(bytes.AsSpan()).Value!;
        using var ms = new MemoryStream(bytes);
        var c = FhirXmlParser.Parse(ms).Value!;
        Assert.True(a.IsExactly(FhirXmlParser.Parse(bytes).Value));
        Assert.True(a.IsExactly(b));
        Assert.True(a.IsExactly(c));
        var output = FhirXmlSerializer.SerializeToUtf8Bytes(a);
        Assert.NotEqual(0xEF, output[0]);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><Observation", System.Text.Encoding.UTF8.GetString(output), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_of_T_reports_a_different_resource_type()
    {
        var result = FhirXmlParser.Parse<Patient>(TestFiles.Read("observation-example.xml"));
        Assert.Null(result.Value);
        Assert.Contains(result.Issues, i => i.Code == ParseCodes.ResourceType);
    }

    [Fact]
    public void A_div_without_namespace_declaration_is_written_in_the_xhtml_namespace()
    {
        var p = new Patient { Text = new Narrative { Status = "generated", Div = "<div>hi <b>there</b></div>" } };
        var written = FhirXmlSerializer.SerializeToString(p);
        Assert.Contains("<div xmlns=\"http://www.w3.org/1999/xhtml\">hi <b>there</b></div>", written, StringComparison.Ordinal);
        Assert.True(FhirXmlParser.Parse(written).Success);
    }

    [Fact]
    public void A_div_that_is_not_a_single_well_formed_element_is_refused()
    {
        var p = new Patient { Text = new Narrative { Status = "generated", Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div><injected/>" } };
        Assert.Throws<InvalidOperationException>(() => FhirXmlSerializer.SerializeToString(p));
    }
}
