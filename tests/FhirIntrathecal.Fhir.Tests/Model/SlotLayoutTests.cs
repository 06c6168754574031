using System.Collections;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Model;

/// <summary>The sparse slot layout (Base + SlotShape): an instance holds its shape and only its present elements.</summary>
public class SlotLayoutTests
{
    private static readonly string[] CodingElements = ["id", "system", "version", "code", "display", "userSelected"];

    [Fact]
    public void Elements_set_unset_and_set_again_in_any_order_read_back_as_set()
    {
        string[][] orders = [["system", "code", "display"], ["display", "code", "system"], ["code", "display", "system"]];
        var written = new List<string>();
        foreach (var order in orders)
        {
            var coding = new Coding();
            Assert.True(coding.IsEmpty);
            foreach (var name in order)
            {
                Set(coding, name, name + "-value");
            }

            Assert.Equal("system-value", coding.System!.Value);
            Assert.Equal("code-value", coding.Code!.Value);
            Assert.Equal("display-value", coding.Display!.Value);
            Assert.Null(coding.Version);
            Assert.Null(coding.UserSelected);
            // Children come in definition order whatever the order of the writes.
            Assert.Equal(["system", "code", "display"], coding.Children().Select(c => c.Element.Name));

            coding.Code = null;
            Assert.Null(coding.Code);
            Assert.Equal(["system", "display"], coding.Children().Select(c => c.Element.Name));
            coding.Code = "again";
            coding.Version = "v2";
            Assert.Equal("again", coding.Code!.Value);
            Assert.Equal(["system", "version", "code", "display"], coding.Children().Select(c => c.Element.Name));

            coding.System = null;
            coding.Code = null;
            coding.Display = null;
            coding.Version = null;
            Assert.True(coding.IsEmpty);
            Assert.Empty(coding.Children());
            coding.Display = "last";
            written.Add(FhirJsonSerializer.SerializeToString(coding));
        }

        Assert.All(written, w => Assert.Equal("""{"display":"last"}""", w));
    }

    [Fact]
    public void Instances_with_the_same_elements_share_one_shape_and_an_exact_size_array()
    {
        var a = new Coding { Code = "a", System = "http://s" };
        var b = new Coding { System = "http://t", Code = "b" };
        var parsed = Parse("""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://u","code":"c"}]}}""");
        var c = ((Observation)parsed).Code!.Coding[0];

        Assert.Same(a.SlotLayout.Values[0], b.SlotLayout.Values[0]);
        Assert.Same(a.SlotLayout.Values[0], c.SlotLayout.Values[0]);
        Assert.Equal(3, c.SlotLayout.Values.Length);  // the shape and two slots
        Assert.Equal(["system", "code"], c.SlotLayout.Indices.Select(i => c.TypeInfo.Elements[i].Name));
        // An instance without values shares its shape's empty array: no slot array of its own.
        Assert.Same(new Coding().SlotLayout.Values, new Coding().SlotLayout.Values);
        Assert.Single(new Coding().SlotLayout.Values);
    }

    [Fact]
    public void Lists_read_and_write_through_their_slot_and_an_empty_list_equals_an_absent_one()
    {
        var patient = new Patient();
        var names = patient.Name;  // the getter creates and keeps the list
        Assert.Same(names, patient.Name);
        Assert.True(patient.IsEmpty);
        Assert.True(patient.IsExactly(new Patient()));
        Assert.True(new Patient().IsExactly(patient));

        names.Add(new HumanName { Family = "Doe" });
        names.Add(new HumanName { Family = "Roe" });
        patient.Active = true;
        Assert.False(patient.IsEmpty);
        Assert.Equal([("active", -1), ("name", 0), ("name", 1)], patient.Children().Select(c => (c.Element.Name, c.ListIndex)));

        var replaced = new List<HumanName> { new() { Family = "Poe" } };
        patient.Name = replaced;
        Assert.Same(replaced, patient.Name);
        Assert.Equal("""{"resourceType":"Patient","active":true,"name":[{"family":"Poe"}]}""", FhirJsonSerializer.SerializeToString(patient));
    }

    [Fact]
    public void A_choice_element_holds_one_type_at_a_time_and_serializes_under_its_name()
    {
        var obs = new Observation { Status = "final", Code = new CodeableConcept { Text = "t" } };
        obs.Value = new Quantity { Value = new FhirDecimal(1.5m) };
        Assert.IsType<Quantity>(obs.Value);
        obs.Value = new FhirString("high");
        var element = obs.TypeInfo.GetElement("value")!;
        Assert.Equal("high", ((FhirString)obs.GetValue(element)!).Value);

        var json = FhirJsonSerializer.SerializeToString(obs);
        Assert.Contains("\"valueString\":\"high\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("valueQuantity", json, StringComparison.Ordinal);
        Assert.True(Parse(json).IsExactly(obs));
    }

    [Fact]
    public void Copies_and_equality_hold_across_layouts()
    {
        const string json = """
            {"resourceType":"Patient","id":"p1","active":true,"gender":"female",
             "name":[{"family":"Doe","given":["Jane","J."]}],
             "birthDate":"1970-01-01","_birthDate":{"extension":[{"url":"http://x","valueString":"y"}]}}
            """;
        var parsed = (Patient)Parse(json);

        // Built by hand in another order, with elements set and cleared on the way: a different shape (cleared slots stay).
        var built = new Patient { Gender = "male", Deceased = new FhirBoolean(false) };
        built.BirthDate = new Date("1970-01-01");
        built.BirthDate.Extension.Add(new Extension { Url = "http://x", Value = new FhirString("y") });
        built.Name.Add(new HumanName { Family = "Doe", Given = [new FhirString("Jane"), new FhirString("J.")] });
        built.Deceased = null;
        built.Gender = "female";
        built.Active = true;
        built.Id = "p1";
        Assert.NotSame(parsed.SlotLayout.Values[0], built.SlotLayout.Values[0]);

        Assert.True(parsed.IsExactly(built));
        Assert.True(built.IsExactly(parsed));
        Assert.Equal(FhirJsonSerializer.SerializeToString(parsed), FhirJsonSerializer.SerializeToString(built));

        var copy = (Patient)built.DeepCopy();
        Assert.True(copy.IsExactly(parsed));
        Assert.NotSame(built.Name, copy.Name);
        copy.Name[0].Family = "Changed";
        copy.BirthDate!.Extension.Clear();
        copy.Active = false;
        Assert.Equal("Doe", built.Name[0].Family!.Value);
        Assert.Single(built.BirthDate!.Extension);
        Assert.True(built.Active!.Value);
        Assert.False(copy.IsExactly(built));

        // A difference in one element is seen whichever side has the other shape.
        var other = (Patient)Parse(json);
        other.Gender = "male";
        Assert.False(other.IsExactly(built));
        Assert.False(built.IsExactly(other));
    }

    [Fact]
    public void A_primitive_keeps_its_value_while_its_id_and_extensions_come_and_go()
    {
        var s = new FhirString("v");
        Assert.Single(s.SlotLayout.Values);
        s.Id = "i";
        s.Extension.Add(new Extension { Url = "http://x" });
        Assert.Equal("v", s.Value);
        Assert.Equal("i", s.Id);
        s.Id = null;
        s.Extension.Clear();
        Assert.Equal("v", s.Value);
        Assert.True(s.IsExactly(new FhirString("v")));
        Assert.True(new FhirString("v").IsExactly(s));
        Assert.False(s.IsEmpty);
        s.Value = null;
        Assert.True(s.IsEmpty);
    }

    [Fact]
    public void A_parsed_primitive_keeps_its_UTF8_value_through_id_and_extension_writes_and_copies()
    {
        var patient = (Patient)Parse("""{"resourceType":"Patient","gender":"female","_gender":{"id":"g"},"birthDate":"1970"}""");
        Assert.True(patient.Gender!.TryGetUtf8Value(out _));
        Assert.True(patient.BirthDate!.TryGetUtf8Value(out _));

        patient.BirthDate.Extension.Add(new Extension { Url = "http://x", Value = new FhirString("y") });  // gains a slot array
        patient.Gender.Extension.Add(new Extension { Url = "http://z" });  // its slot array grows
        Assert.True(patient.BirthDate.TryGetUtf8Value(out var birth));
        Assert.Equal("1970"u8.ToArray(), birth.ToArray());
        Assert.Equal("g", patient.Gender.Id);

        var copy = (Patient)patient.DeepCopy();
        Assert.True(copy.IsExactly(patient));
        Assert.Equal("1970", copy.BirthDate!.Value);  // decodes the copy's value, not the original's
        Assert.True(patient.BirthDate.TryGetUtf8Value(out _));
        Assert.True(copy.IsExactly(patient));
        const string expected = """{"resourceType":"Patient","gender":"female","_gender":{"id":"g","extension":[{"url":"http://z"}]},"birthDate":"1970","_birthDate":{"extension":[{"url":"http://x","valueString":"y"}]}}""";
        Assert.Equal(expected, FhirJsonSerializer.SerializeToString(patient));
        Assert.Equal(expected, FhirJsonSerializer.SerializeToString(copy));
    }

    [Fact]
    public void Threads_reading_and_extending_shared_shapes_at_once_see_their_own_values()
    {
        // Every subset of Coding's elements, written in a different order by each thread: the transitions between
        // shapes are made concurrently; each instance must read back exactly what was written, and instances with the
        // same elements must end on the same shape.
        var subsets = Enumerable.Range(1, (1 << CodingElements.Length) - 1).ToArray();
        var results = new Coding[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var random = new Random(t);
            var mine = new Coding[subsets.Length];
            for (var s = 0; s < subsets.Length; s++)
            {
                var names = CodingElements.Where((_, i) => (subsets[s] & (1 << i)) != 0).OrderBy(_ => random.Next()).ToArray();
                var coding = new Coding();
                foreach (var name in names)
                {
                    Set(coding, name, $"{name}-{s}");
                }

                mine[s] = coding;
            }

            results[t] = mine;
        });

        for (var s = 0; s < subsets.Length; s++)
        {
            var first = results[0][s];
            foreach (var perThread in results)
            {
                var coding = perThread[s];
                Assert.Same(first.SlotLayout.Values[0], coding.SlotLayout.Values[0]);
                Assert.True(coding.IsExactly(first));
                for (var i = 0; i < CodingElements.Length; i++)
                {
                    var present = (subsets[s] & (1 << i)) != 0;
                    var expected = !present ? null : CodingElements[i] == "userSelected" ? "true" : $"{CodingElements[i]}-{s}";
                    Assert.Equal(expected, Get(coding, CodingElements[i]));
                }
            }
        }
    }

    [Fact]
    public void Parsing_on_many_threads_at_once_gives_the_same_instances_as_parsing_on_one()
    {
        var inputs = Enumerable.Range(0, 64).Select(i =>
        {
            var display = i % 2 == 0 ? ",\"display\":\"d\"" : "";
            var text = i % 3 == 0 ? ",\"text\":\"t\"" : "";
            return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://s" + i
                + "\",\"code\":\"c" + i + "\"" + display + "}]" + text + "},\"valueString\":\"v" + i + "\"}";
        }).ToArray();
        var sequential = inputs.Select(Parse).ToArray();
        var parallel = new Base[inputs.Length];
        Parallel.For(0, inputs.Length, i => parallel[i] = Parse(inputs[i]));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(parallel[i].IsExactly(sequential[i]));
            Assert.Equal(inputs[i], FhirJsonSerializer.SerializeToString(parallel[i]));
        }
    }

    private static Base Parse(string json)
    {
        var result = FhirJsonParser.Parse(json);
        Assert.Empty(result.Issues);
        return result.Value!;
    }

    private static void Set(Coding coding, string name, string value)
    {
        var element = coding.TypeInfo.GetElement(name)!;
        coding.SetValue(element, name switch
        {
            "id" => value,
            "system" => new FhirUri(value),
            "code" => new Code(value),
            "userSelected" => new FhirBoolean(true),
            _ => new FhirString(value),
        });
    }

    private static string? Get(Coding coding, string name) => coding.GetValue(coding.TypeInfo.GetElement(name)!) switch
    {
        null => null,
        string s => s,
        PrimitiveType p => p.ToLexical(),
        IList => "list",
        var v => v.ToString(),
    };
}
