using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Serialization;

/// <summary>FHIR JSON has no empty objects, arrays or strings: elements without content are left out at every depth.</summary>
public sealed class JsonEmptyElementTests
{
    private static Patient Sample() => new()
    {
        Id = "p1",
        Active = new FhirBoolean(),  // no value
        Name =
        [
            new HumanName(),
            new HumanName { Given = [new FhirString(), new FhirString("")] },
            new HumanName { Text = "x", Given = [new FhirString { Extension = [new Extension(), new Extension { Url = "http://e" }] }] },
        ],
        MaritalStatus = new CodeableConcept { Coding = [new Coding(), new Coding { Code = "M" }] },
        Contact = [new Patient.ContactComponent { Name = new HumanName { Given = [new FhirString()] } }],
        Extension = [new Extension()],
    };

    private const string Expected =
        """{"resourceType":"Patient","id":"p1","name":[{"text":"x","_given":[{"extension":[{"url":"http://e"}]}]}],"maritalStatus":{"coding":[{"code":"M"}]}}""";

    [Fact]
    public void Empty_elements_are_left_out_at_every_depth()
    {
        Assert.Equal(Expected, FhirJsonSerializer.SerializeToString(Sample()));
    }

    [Fact]
    public void Indented_output_leaves_out_the_same_elements()
    {
        var pretty = FhirJsonSerializer.SerializeToString(Sample(), JsonWriteOptions.Pretty);
        Assert.Contains('\n', pretty);
        using var document = JsonDocument.Parse(pretty);
        using var compact = new MemoryStream();
        using (var w = new Utf8JsonWriter(compact))
        {
            document.WriteTo(w);
        }

        Assert.Equal(Expected, System.Text.Encoding.UTF8.GetString(compact.ToArray()));
    }

    [Fact]
    public void An_element_without_content_written_on_its_own_is_an_empty_object()
    {
        // The public entry point writes the object it is given, whatever it holds.
        Assert.Equal("{}", FhirJsonSerializer.SerializeToString(new HumanName { Given = [new FhirString()] }));
    }
}
