using System.Diagnostics;
using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

/// <summary>Bad input must give located issues with stable codes and a partial result, never an exception.</summary>
public class MalformedXmlTests
{
    private const string Ns = "xmlns=\"http://hl7.org/fhir\"";

    private static ParseIssue Single(ParseResult<Resource> result, string code)
    {
        var issue = Assert.Single(result.Issues, i => i.Code == code);
        return issue;
    }

    [Fact]
    public void Not_well_formed_input_is_a_located_fatal_syntax_issue_and_keeps_what_was_read()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}>\n  <id value=\"p1\"/>\n  <active value=\"true\">\n</Patient>");
        var issue = Single(result, ParseCodes.Syntax);
        Assert.Equal(IssueSeverity.Fatal, issue.Severity);
        Assert.Equal(4, issue.Line);
        Assert.True(issue.Column > 0);
        Assert.False(result.Success);
        Assert.Equal("p1", Assert.IsType<Patient>(result.Value).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not xml at all")]
    [InlineData("<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"a\"/></Patient><Patient/>")]
    [InlineData("<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"a\"/>")]
    [InlineData("<Patient xmlns=\"http://hl7.org/fhir\" xmlns=\"http://hl7.org/fhir\"/>")]
    [InlineData("<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&bogus;\"/></Patient>")]
    public void Broken_documents_give_a_fatal_issue(string xml)
    {
        var result = FhirXmlParser.Parse(xml);
        Assert.False(result.Success);
        Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Fatal && i.Code is ParseCodes.Syntax or ParseCodes.ResourceType);
    }

    [Fact]
    public void Invalid_utf8_bytes_are_a_syntax_issue()
    {
        var bytes = Encoding.UTF8.GetBytes($"<Patient {Ns}><id value=\"x\"/></Patient>");
        bytes[bytes.Length - 10] = 0xC3;  // a lead byte without its continuation
        var result = FhirXmlParser.Parse(bytes.AsSpan());
        Assert.Equal(ParseCodes.Syntax, Assert.Single(result.Issues).Code);
    }

    [Theory]
    [InlineData("<Patient xmlns=\"http://example.org/not-fhir\"><id value=\"a\"/></Patient>")]
    [InlineData("<Patient><id value=\"a\"/></Patient>")]
    [InlineData("<f:Patient xmlns:f=\"http://hl7.org/fhir/x\"/>")]
    public void A_root_outside_the_fhir_namespace_is_a_namespace_issue(string xml)
    {
        var result = FhirXmlParser.Parse(xml);
        var issue = Single(result, ParseCodes.Namespace);
        Assert.Equal(1, issue.Line);
        Assert.Null(result.Value);
    }

    [Fact]
    public void A_child_in_another_namespace_is_reported_and_skipped()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}><active xmlns=\"urn:other\" value=\"true\"/><gender value=\"male\"/></Patient>");
        Assert.Equal("Patient.active", Single(result, ParseCodes.Namespace).Location);
        Assert.Equal("male", ((Patient)result.Value!).Gender!.Value);
    }

    [Fact]
    public void A_prefixed_fhir_document_is_fine()
    {
        var result = FhirXmlParser.Parse("<f:Patient xmlns:f=\"http://hl7.org/fhir\"><f:active value=\"true\"/></f:Patient>");
        Assert.True(result.Success, string.Join("\n", result.Issues));
        Assert.True(((Patient)result.Value!).Active!.Value);
    }

    [Theory]
    [InlineData("<Foo xmlns=\"http://hl7.org/fhir\"/>")]
    [InlineData("<HumanName xmlns=\"http://hl7.org/fhir\"><family value=\"x\"/></HumanName>")]
    [InlineData("<DomainResource xmlns=\"http://hl7.org/fhir\"/>")]
    [InlineData("<patient xmlns=\"http://hl7.org/fhir\"/>")]
    public void A_root_that_is_not_a_concrete_resource_is_a_resource_type_issue(string xml)
    {
        var result = FhirXmlParser.Parse(xml);
        Assert.Equal(IssueSeverity.Fatal, Single(result, ParseCodes.ResourceType).Severity);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Unknown_elements_are_errors_in_strict_mode_and_warnings_in_lenient_mode_and_are_skipped()
    {
        var xml = $"<Patient {Ns}>\n<active value=\"true\"/>\n<favouriteColour value=\"blue\"><nested><deeper/></nested></favouriteColour>\n<gender value=\"male\"/>\n</Patient>";
        var strict = FhirXmlParser.Parse(xml);
        var issue = Single(strict, ParseCodes.UnknownElement);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal("Patient.favouriteColour", issue.Location);
        Assert.Equal(3, issue.Line);
        Assert.Equal(2, issue.Column);
        Assert.Equal("male", ((Patient)strict.Value!).Gender!.Value);

        var lenient = FhirXmlParser.Parse(xml, ParserOptions.Lenient);
        Assert.True(lenient.Success);
        Assert.Equal(IssueSeverity.Warning, Single(lenient, ParseCodes.UnknownElement).Severity);
    }

    [Fact]
    public void Unknown_attributes_are_reported()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}><active value=\"true\" colour=\"red\"/></Patient>");
        Assert.Equal("Patient.active.@colour", Single(result, ParseCodes.UnknownElement).Location);
        // An element that is an attribute in FHIR XML (Element.id) is not accepted as a child element.
        var asElement = FhirXmlParser.Parse($"<Patient {Ns}><name><id value=\"n1\"/><family value=\"x\"/></name></Patient>");
        Assert.Equal("Patient.name[0].id", Single(asElement, ParseCodes.UnknownElement).Location);
    }

    [Fact]
    public void A_doctype_with_an_external_entity_is_refused_without_resolving_it()
    {
        var secret = Path.Combine(Path.GetTempPath(), "fhirintrathecal-xxe-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(secret, "TOP-SECRET");
        try
        {
            var xml = $"<?xml version=\"1.0\"?>\n<!DOCTYPE Patient [ <!ENTITY xxe SYSTEM \"file://{secret}\"> ]>\n<Patient {Ns}><name><family value=\"&xxe;\"/></name></Patient>";
            var result = FhirXmlParser.Parse(xml);
            var issue = Single(result, ParseCodes.Forbidden);
            Assert.Equal(IssueSeverity.Fatal, issue.Severity);
            Assert.Equal(2, issue.Line);
            Assert.Null(result.Value);
            Assert.DoesNotContain(result.Issues, i => i.Message.Contains("TOP-SECRET", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void An_external_dtd_reference_is_refused()
    {
        var result = FhirXmlParser.Parse($"<!DOCTYPE Patient SYSTEM \"http://127.0.0.1:1/evil.dtd\"><Patient {Ns}/>");
        Assert.Equal(ParseCodes.Forbidden, Assert.Single(result.Issues).Code);
    }

    [Fact]
    public void Billion_laughs_is_refused_quickly()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            sb.Append($" <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString())};", 10))}\">\n");
        }

        sb.Append($"]>\n<Patient {Ns}><name><family value=\"&lol9;\"/></name></Patient>");
        var watch = Stopwatch.StartNew();
        var result = FhirXmlParser.Parse(sb.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        Assert.Equal(ParseCodes.Forbidden, Assert.Single(result.Issues).Code);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Ten_thousand_nested_extensions_stop_at_max_depth_without_overflowing_the_stack()
    {
        const int depth = 10_000;
        var sb = new StringBuilder($"<Patient {Ns}>");
        for (var i = 0; i < depth; i++)
        {
            sb.Append("<extension url=\"http://x\">");
        }

        for (var i = 0; i < depth; i++)
        {
            sb.Append("</extension>");
        }

        sb.Append("<active value=\"true\"/></Patient>");
        var result = FhirXmlParser.Parse(sb.ToString());
        var issue = Single(result, ParseCodes.TooDeep);
        Assert.StartsWith("Patient.extension[0].extension[0].extension[0]", issue.Location, StringComparison.Ordinal);
        Assert.True(((Patient)result.Value!).Active!.Value);

        var shallow = FhirXmlParser.Parse(sb.ToString(), new ParserOptions { MaxDepth = 10 });
        Assert.Equal(1, shallow.Issues.Count(i => i.Code == ParseCodes.TooDeep));
    }

    [Fact]
    public void Ten_thousand_nested_unknown_elements_and_narrative_elements_are_handled_iteratively()
    {
        const int depth = 10_000;
        var unknown = $"<Patient {Ns}>{string.Concat(Enumerable.Repeat("<x>", depth))}{string.Concat(Enumerable.Repeat("</x>", depth))}</Patient>";
        Assert.Equal(ParseCodes.UnknownElement, Assert.Single(FhirXmlParser.Parse(unknown).Issues).Code);

        var div = $"<Patient {Ns}><text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">{string.Concat(Enumerable.Repeat("<span>", depth))}x{string.Concat(Enumerable.Repeat("</span>", depth))}</div></text><active value=\"true\"/></Patient>";
        var result = FhirXmlParser.Parse(div);
        Assert.Equal(ParseCodes.TooDeep, Assert.Single(result.Issues).Code);
        Assert.True(((Patient)result.Value!).Active!.Value);
    }

    [Theory]
    [InlineData("<active/>", ParseCodes.Empty, "Patient.active")]
    [InlineData("<active value=\"yes\"/>", ParseCodes.InvalidValue, "Patient.active")]
    [InlineData("<active value=\"\"/>", ParseCodes.Empty, "Patient.active")]
    [InlineData("<multipleBirthInteger value=\"1.5\"/>", ParseCodes.InvalidValue, "Patient.multipleBirth.ofType(integer)")]
    [InlineData("<multipleBirthInteger value=\"99999999999\"/>", ParseCodes.InvalidValue, "Patient.multipleBirth.ofType(integer)")]
    [InlineData("<name><given value=\"a\"/><given/></name>", ParseCodes.Empty, "Patient.name[0].given[1]")]
    [InlineData("<name/>", ParseCodes.Empty, "Patient.name[0]")]
    [InlineData("<id/>", ParseCodes.Empty, "Patient.id")]
    [InlineData("<extension><valueString value=\"x\"/></extension>", ParseCodes.UnknownElement, "")]
    public void Missing_or_invalid_values_are_located(string body, string code, string location)
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}>\n{body}\n</Patient>");
        if (code == ParseCodes.UnknownElement)
        {
            // Extension.url is required but checking cardinality is the validator's job: the parser only reads.
            Assert.True(result.Success, string.Join("\n", result.Issues));
            return;
        }

        var issue = Single(result, code);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal(location, issue.Location);
        Assert.Equal(2, issue.Line);
        Assert.IsType<Patient>(result.Value);
    }

    [Fact]
    public void Pattern_breaks_of_string_primitives_are_warnings_that_keep_the_value()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}><birthDate value=\"1970-13-01\"/></Patient>");
        var issue = Single(result, ParseCodes.InvalidValue);
        Assert.Equal(IssueSeverity.Warning, issue.Severity);
        Assert.Equal("1970-13-01", ((Patient)result.Value!).BirthDate!.Value);
        Assert.Empty(FhirXmlParser.Parse($"<Patient {Ns}><birthDate value=\"1970-13-01\"/></Patient>", new ParserOptions { ValidatePrimitives = false }).Issues);
        // Decimals are always checked: they must remain valid JSON numbers.
        var dec = FhirXmlParser.Parse($"<Observation {Ns}><status value=\"final\"/><code><text value=\"x\"/></code><valueQuantity><value value=\".5\"/></valueQuantity></Observation>");
        Assert.Equal(IssueSeverity.Error, Single(dec, ParseCodes.InvalidValue).Severity);
    }

    [Fact]
    public void Non_contiguous_repeats_are_errors_but_both_items_are_kept()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}>\n<name><family value=\"A\"/></name>\n<gender value=\"male\"/>\n<name><family value=\"B\"/></name>\n</Patient>", ParserOptions.Lenient);
        var issue = Single(result, ParseCodes.ElementOrder);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal("Patient.name[1]", issue.Location);
        Assert.Equal(4, issue.Line);
        Assert.Equal(["A", "B"], ((Patient)result.Value!).Name.Select(n => n.Family!.Value));
    }

    [Fact]
    public void Out_of_order_elements_are_errors_when_strict_and_warnings_when_lenient()
    {
        var xml = $"<Patient {Ns}><gender value=\"male\"/><active value=\"true\"/></Patient>";
        var strict = FhirXmlParser.Parse(xml);
        var issue = Single(strict, ParseCodes.ElementOrder);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal("Patient.active", issue.Location);
        Assert.True(((Patient)strict.Value!).Active!.Value);
        Assert.Equal(IssueSeverity.Warning, Single(FhirXmlParser.Parse(xml, ParserOptions.Lenient), ParseCodes.ElementOrder).Severity);
    }

    [Fact]
    public void A_second_value_for_a_single_element_or_choice_is_reported_and_ignored()
    {
        var dup = FhirXmlParser.Parse($"<Patient {Ns}><active value=\"true\"/><active value=\"false\"/></Patient>");
        Assert.Equal("Patient.active", Single(dup, ParseCodes.Cardinality).Location);
        Assert.True(((Patient)dup.Value!).Active!.Value);

        var choice = FhirXmlParser.Parse($"<Observation {Ns}><status value=\"final\"/><code><text value=\"x\"/></code><valueString value=\"a\"/><valueBoolean value=\"true\"/></Observation>");
        Assert.Single(choice.Issues, i => i.Code == ParseCodes.ChoiceConflict);
        Assert.Equal("a", ((FhirString)((Observation)choice.Value!).Value!).Value);
    }

    [Fact]
    public void Text_content_where_elements_belong_is_reported()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}><active value=\"true\">true</active></Patient>");
        Assert.Equal("Patient.active", Single(result, ParseCodes.WrongType).Location);
    }

    [Fact]
    public void Wrapped_resources_must_be_one_known_resource()
    {
        var two = FhirXmlParser.Parse($"<Patient {Ns}><contained><Organization><id value=\"a\"/></Organization><Organization/></contained></Patient>");
        Assert.Equal("Patient.contained[0]", Single(two, ParseCodes.Cardinality).Location);
        Assert.Single(((Patient)two.Value!).Contained);

        var empty = FhirXmlParser.Parse($"<Patient {Ns}><contained/></Patient>");
        Assert.Equal("Patient.contained[0]", Single(empty, ParseCodes.Empty).Location);

        var unknown = FhirXmlParser.Parse($"<Patient {Ns}><contained><Nope/></contained></Patient>");
        Assert.Single(unknown.Issues, i => i.Code == ParseCodes.ResourceType);
    }

    [Fact]
    public void Several_problems_are_all_reported_with_their_own_locations()
    {
        var xml = $"<Patient {Ns}>\n<active value=\"maybe\"/>\n<bogus/>\n<name><given value=\"a\"/><given/></name>\n<birthDate value=\"\"/>\n</Patient>";
        var result = FhirXmlParser.Parse(xml);
        Assert.Equal(
            [(ParseCodes.InvalidValue, "Patient.active", 2L), (ParseCodes.UnknownElement, "Patient.bogus", 3L), (ParseCodes.Empty, "Patient.name[0].given[1]", 4L), (ParseCodes.Empty, "Patient.birthDate", 5L)],
            result.Issues.Select(i => (i.Code, i.Location, i.Line)));
    }

    [Fact]
    public void Issue_positions_point_at_the_offending_start_tag_or_attribute()
    {
        var result = FhirXmlParser.Parse($"<Patient {Ns}>\n  <name>\n\n  </name>\n  <gender value=\"\"/>\n</Patient>");
        var empty = Assert.Single(result.Issues, i => i.Location == "Patient.name[0]");
        Assert.Equal((2L, 4L), (empty.Line, empty.Column));
        var value = Assert.Single(result.Issues, i => i.Location == "Patient.gender");
        Assert.Equal((5L, 11L), (value.Line, value.Column));
    }

    [Fact]
    public void Comments_are_ignored_and_processing_instructions_warned_about()
    {
        var result = FhirXmlParser.Parse($"<?xml version=\"1.0\"?><!-- a --><Patient {Ns}><!-- b --><active value=\"true\"/><?pi data?></Patient>");
        Assert.True(result.Success);
        Assert.Equal(IssueSeverity.Warning, Single(result, ParseCodes.Forbidden).Severity);
    }

    [Fact]
    public void Every_truncation_of_a_real_document_gives_issues_and_never_throws()
    {
        var xml = TestFiles.Read("patient-example.xml");
        for (var i = 0; i < xml.Length; i += 7)
        {
            var result = FhirXmlParser.Parse(xml[..i]);
            Assert.False(result.Success);
            Assert.NotEmpty(result.Issues);
        }
    }

    [Fact]
    public void Byte_flips_of_a_real_document_never_throw()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestFiles.ExamplesDirectory, "observation-example.xml"));
        var random = new Random(20240601);
        for (var i = 0; i < 2000; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (var k = 0; k < 3; k++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            var result = FhirXmlParser.Parse(copy.AsSpan());
            if (!result.Success)
            {
                Assert.NotEmpty(result.Issues);
            }
        }
    }
}
