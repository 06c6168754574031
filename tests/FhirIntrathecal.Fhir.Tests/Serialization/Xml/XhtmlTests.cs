using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

public class XhtmlTests
{
    private const string Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">Ünïcödé 😀 &quot;q&quot; &#39;a&#39; &amp; <br/>\r\n<p class=\"x\">t\tab</p></div>";

    private static string Doc(string div, string before = "") =>
        $"<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p\"/><text><status value=\"generated\"/>{before}{div}</text><active value=\"true\"/></Patient>";

    [Fact]
    public void The_div_is_taken_verbatim_from_strings_utf8_bytes_and_streams()
    {
        // Multi-byte characters before the div on the same line exercise the column → byte offset mapping.
        var xml = Doc(Div).Replace("<id value=\"p\"/>", "<id value=\"p\"/><!-- ü😀é -->", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(xml);
        var withBom = Encoding.UTF8.GetPreamble().Concat(bytes).ToArray();
        using var stream = new MemoryStream(withBom);
        foreach (var result in new[] { FhirXmlParser.Parse<Patient>(xml), FhirXmlParser.Parse<Patient>(bytes.AsSpan()), FhirXmlParser.Parse<Patient>(stream) })
        {
            Assert.True(result.Success, string.Join("\n", result.Issues));
            Assert.Equal(Div, result.Value!.Text!.Div!.Value);
        }
    }

    [Fact]
    public void A_json_div_goes_to_xml_and_back_byte_for_byte()
    {
        var p = new Patient { Text = new Narrative { Status = "generated", Div = Div } };
        var xml = FhirXmlSerializer.SerializeToUtf8Bytes(p, pretty: true);
        var back = FhirXmlParser.Parse<Patient>(xml.AsSpan());
        Assert.True(back.Success, string.Join("\n", back.Issues));
        Assert.Equal(Div, back.Value!.Text!.Div!.Value);
    }

    [Fact]
    public void An_empty_div_and_a_div_with_extra_attributes_are_verbatim()
    {
        const string empty = "<div xmlns=\"http://www.w3.org/1999/xhtml\"/>";
        Assert.Equal(empty, FhirXmlParser.Parse<Patient>(Doc(empty)).Value!.Text!.Div!.Value);
        const string lang = "<div xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang='en'><a href=\"x?a=1&amp;b=>\">l</a></div>";
        Assert.Equal(lang, FhirXmlParser.Parse<Patient>(Doc(lang)).Value!.Text!.Div!.Value);
    }

    [Fact]
    public void A_prefixed_div_declared_outside_is_re_serialized_into_the_canonical_form()
    {
        var xml = "<Patient xmlns=\"http://hl7.org/fhir\" xmlns:h=\"http://www.w3.org/1999/xhtml\"><text><status value=\"generated\"/><h:div><h:p>Hi &amp; <h:b>you</h:b></h:p></h:div></text></Patient>";
        var result = FhirXmlParser.Parse<Patient>(xml);
        Assert.True(result.Success, string.Join("\n", result.Issues));
        Assert.Equal("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi &amp; <b>you</b></p></div>", result.Value!.Text!.Div!.Value);
    }

    [Fact]
    public void A_canonical_div_using_an_outside_prefix_is_re_serialized_to_stay_self_contained()
    {
        var xml = "<Patient xmlns=\"http://hl7.org/fhir\" xmlns:h=\"http://www.w3.org/1999/xhtml\"><text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\"><h:b>x</h:b> y</div></text></Patient>";
        var result = FhirXmlParser.Parse<Patient>(xml);
        Assert.Equal("<div xmlns=\"http://www.w3.org/1999/xhtml\"><b>x</b> y</div>", result.Value!.Text!.Div!.Value);
    }

    [Fact]
    public void Utf16_input_is_read_with_the_div_re_serialized()
    {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + Doc("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>é</p></div>");
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml)).ToArray();
        var result = FhirXmlParser.Parse<Patient>(bytes.AsSpan());
        Assert.True(result.Success, string.Join("\n", result.Issues));
        Assert.Equal("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>é</p></div>", result.Value!.Text!.Div!.Value);
    }

    [Fact]
    public void A_div_in_the_fhir_namespace_is_a_namespace_issue()
    {
        var result = FhirXmlParser.Parse(Doc("<div><p>x</p></div>"));
        Assert.Equal("Patient.text.div", Assert.Single(result.Issues).Location);
    }
}
