using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Tests.Model;

/// <summary>
/// Bare primitive values (<see cref="ElementInfo.HoldsBareValue"/>): the JSON parser keeps a single primitive without
/// id or extension as its value alone; every public read hands out one primitive for it, made on first read.
/// </summary>
public class BareValueTests
{
    private const string PatientJson =
        """{"resourceType":"Patient","id":"p1","active":true,"gender":"female","birthDate":"1970-01-02","multipleBirthInteger":2,"name":[{"family":"Chalmers","given":["Peter","James"]}]}""";

    private static Patient ParsePatient(string json = PatientJson)
    {
        var result = FhirJsonParser.Parse(json);
        Assert.True(result.Success, string.Join("; ", result.Issues.Select(i => i.Message)));
        return Assert.IsType<Patient>(result.Value);
    }

    private static object? Stored(Base instance, string element) => instance.PeekValue(instance.TypeInfo.GetElement(element)!);

    [Fact]
    public void The_parser_stores_single_primitives_bare_and_keeps_lists_choices_and_system_values_as_before()
    {
        var patient = ParsePatient();

        Assert.IsNotAssignableFrom<Base>(Stored(patient, "gender"));
        Assert.IsNotAssignableFrom<Base>(Stored(patient, "birthDate"));
        Assert.Same(Stored(patient, "active"), Stored(ParsePatient(), "active"));  // one shared box per boolean
        Assert.IsType<Integer>(Stored(patient, "multipleBirth"));  // a choice says which type it holds
        Assert.IsType<string>(Stored(patient, "id"));  // a system value
        Assert.All(patient.Name[0].Given, g => Assert.IsType<FhirString>(g));  // list items are objects
        Assert.IsNotAssignableFrom<Base>(Stored(patient.Name[0], "family"));
    }

    [Fact]
    public void Reading_a_bare_value_makes_one_primitive_that_every_later_read_returns()
    {
        var patient = ParsePatient();

        var gender = patient.Gender;
        Assert.IsType<Code>(gender);
        Assert.Equal("female", gender!.Value);
        Assert.Same(gender, patient.Gender);
        Assert.Same(gender, patient.GetValue(patient.TypeInfo.GetElement("gender")!));
        Assert.Same(gender, patient.Children().Single(c => c.Element.Name == "gender").Value);
        Assert.Same(gender, Stored(patient, "gender"));
        Assert.True(patient.Active!.Value);
        Assert.Same(patient.Active, patient.Children().Single(c => c.Element.Name == "active").Value);
    }

    [Fact]
    public void Threads_reading_one_tree_at_once_all_get_the_same_primitive()
    {
        for (var round = 0; round < 20; round++)
        {
            var patient = ParsePatient();
            var seen = new object?[8];
            using var start = new Barrier(seen.Length);
            Parallel.For(0, seen.Length, new ParallelOptions { MaxDegreeOfParallelism = seen.Length }, i =>
            {
                start.SignalAndWait();
                seen[i] = patient.BirthDate;
            });

            Assert.All(seen, s => Assert.Same(patient.BirthDate, s));
            Assert.Equal("1970-01-02", patient.BirthDate!.Value);
        }
    }

    [Fact]
    public void A_change_through_the_primitive_read_lands_in_the_tree_and_its_serializations()
    {
        var patient = ParsePatient();

        patient.Gender!.Value = "male";
        patient.BirthDate!.Extension.Add(new Extension { Url = "http://example.org/x", Value = new FhirString("y") });

        var json = FhirJsonSerializer.SerializeToString(patient);
        Assert.Contains("\"gender\":\"male\"", json);
        Assert.Contains("\"_birthDate\":{\"extension\":[{\"url\":\"http://example.org/x\",\"valueString\":\"y\"}]}", json);
        var xml = FhirXmlSerializer.SerializeToString(patient);
        Assert.Contains("<gender value=\"male\" />", xml);
        Assert.Contains("<extension url=\"http://example.org/x\">", xml);
    }

    [Fact]
    public void A_bare_value_equals_the_primitive_it_stands_for_and_nothing_else()
    {
        var bare = ParsePatient();
        var read = ParsePatient();
        _ = read.Gender;
        _ = read.BirthDate;
        _ = read.Active;

        Assert.IsNotAssignableFrom<Base>(Stored(bare, "gender"));
        Assert.True(bare.IsExactly(read));
        Assert.True(read.IsExactly(bare));
        Assert.True(bare.IsExactly(ParsePatient()));

        var built = new Patient { Id = "p1", Active = true, Gender = new Code("female"), BirthDate = new Date("1970-01-02"), MultipleBirth = new Integer(2) };
        built.Name.Add(new HumanName { Family = "Chalmers", Given = [new FhirString("Peter"), new FhirString("James")] });
        Assert.True(bare.IsExactly(built));
        Assert.True(built.IsExactly(bare));

        built.Gender = new Code("male");
        Assert.False(bare.IsExactly(built));
        Assert.False(built.IsExactly(bare));
        built.Gender = new Code("female") { Id = "g" };
        Assert.False(bare.IsExactly(built));
        Assert.False(built.IsExactly(bare));
        built.Gender = new Code("female");
        built.Gender.Extension.Add(new Extension { Url = "http://example.org/x", Value = new FhirBoolean(true) });
        Assert.False(bare.IsExactly(built));
        built.Gender.Extension.Clear();  // an empty list is no extension
        Assert.True(bare.IsExactly(built));
        Assert.False(bare.IsExactly(ParsePatient(PatientJson.Replace("1970-01-02", "1970-01-03", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_deep_copy_keeps_the_bare_value_and_a_change_to_the_copy_leaves_the_original()
    {
        var patient = ParsePatient();
        var copy = (Patient)patient.DeepCopy();

        Assert.IsNotAssignableFrom<Base>(Stored(copy, "birthDate"));
        Assert.True(copy.IsExactly(patient));
        copy.BirthDate!.Value = "2000-01-01";
        Assert.Equal("1970-01-02", patient.BirthDate!.Value);
        Assert.NotSame(copy.BirthDate, patient.BirthDate);
        Assert.False(copy.IsExactly(patient));
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","_birthDate":{"id":"b"},"birthDate":"1970-01-02"}""")]
    [InlineData("""{"resourceType":"Patient","birthDate":"1970-01-02","_birthDate":{"id":"b"}}""")]
    public void A_companion_before_or_after_the_value_makes_a_primitive_with_both(string json)
    {
        var patient = ParsePatient(json);

        Assert.IsType<Date>(Stored(patient, "birthDate"));
        Assert.Equal("b", patient.BirthDate!.Id);
        Assert.Equal("1970-01-02", patient.BirthDate.Value);
        Assert.Equal("""{"resourceType":"Patient","birthDate":"1970-01-02","_birthDate":{"id":"b"}}""", FhirJsonSerializer.SerializeToString(patient));
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","birthDate":"1970-01-02","birthDate":"1970-01-03"}""", ParseCodes.DuplicateProperty)]
    [InlineData("""{"resourceType":"Patient","_birthDate":{"id":"b"},"_birthDate":{"id":"c"}}""", ParseCodes.DuplicateProperty)]
    [InlineData("""{"resourceType":"Patient","birthDate":"1970-01-02","_birthDate":{"id":"b"},"_birthDate":{"id":"c"}}""", ParseCodes.DuplicateProperty)]
    [InlineData("""{"resourceType":"Patient","active":"yes"}""", ParseCodes.WrongType)]
    [InlineData("""{"resourceType":"Patient","gender":""}""", ParseCodes.Empty)]
    public void Issues_on_a_single_primitive_are_reported_at_the_same_place_with_or_without_positions(string json, string code)
    {
        var plain = FhirJsonParser.Parse(json);
        var positioned = FhirJsonParser.Parse(Encoding.UTF8.GetBytes(json), null, new PositionMap());

        var issue = Assert.Single(plain.Issues);
        Assert.Equal(code, issue.Code);
        Assert.Equal(
            positioned.Issues.Select(i => (i.Code, i.Message, i.Location, i.Line, i.Column)),
            plain.Issues.Select(i => (i.Code, i.Message, i.Location, i.Line, i.Column)));
        Assert.True(plain.Value!.IsExactly(positioned.Value));
    }

    [Fact]
    public void Bare_values_round_trip_through_JSON_and_XML_exactly()
    {
        const string json =
            """{"resourceType":"Observation","status":"final","code":{"text":"t\u00e9\"x"},"issued":"2020-01-01T00:00:00Z","valueQuantity":{"value":1.50,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"},"component":[{"code":{"text":"c"},"valueInteger":3}]}""";
        var parsed = FhirJsonParser.ParseImmutable(Encoding.UTF8.GetBytes(json)).Value!;
        var quantity = ((Observation)parsed).Value!;

        Assert.IsNotAssignableFrom<Base>(Stored(quantity, "value"));
        Assert.Equal(json.Replace("\\u00e9", "\u00e9", StringComparison.Ordinal), FhirJsonSerializer.SerializeToString(parsed));
        var xml = FhirXmlSerializer.SerializeToString(parsed);
        Assert.Contains("<value value=\"1.50\" />", xml);
        var fromXml = FhirXmlParser.Parse(xml).Value!;
        Assert.True(fromXml.IsExactly(parsed));
        Assert.True(parsed.IsExactly(fromXml));
        Assert.Equal(FhirJsonSerializer.SerializeToString(parsed), FhirJsonSerializer.SerializeToString(fromXml));
        Assert.IsNotAssignableFrom<Base>(Stored(quantity, "value"));  // serializing made nothing
    }
}
