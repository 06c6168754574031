using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.Model;

public class ModelInfoTests
{
    [Fact]
    public void Every_R4_resource_type_is_generated_with_its_metadata()
    {
        var resources = ModelInfo.ResourceTypes.Select(t => t.Name).ToList();
        Assert.Equal(146, resources.Count);
        Assert.Contains("MedicationAdministration", resources);
        Assert.Equal(typeof(FhirTask), ModelInfo.GetResourceType("Task")!.ClrType);
    }

    [Fact]
    public void Slots_follow_the_definition_order_with_inherited_elements_first()
    {
        var patient = ModelInfo.GetTypeInfo(typeof(Patient))!;
        Assert.Equal(["id", "meta", "implicitRules", "language", "text", "contained", "extension", "modifierExtension", "identifier"],
            patient.Elements.Take(9).Select(e => e.Name));
        var p = new Patient { Active = true, Gender = "female" };
        Assert.Equal(true, ((FhirBoolean)p.GetValue(patient.GetElement("active")!)!).Value);
        Assert.Equal("Patient.active", patient.GetElement("active")!.Path);
    }

    [Fact]
    public void Choice_elements_resolve_by_their_serialized_names()
    {
        var obs = ModelInfo.GetTypeInfo("Observation")!;
        Assert.True(obs.TryGetByJsonName("valueQuantity", out var element, out var type));
        Assert.Equal("value", element.Name);
        Assert.True(element.IsChoice);
        Assert.Equal("Quantity", type!.Name);
        Assert.False(obs.TryGetByJsonName("valueFoo", out _, out _));
        Assert.False(obs.TryGetByJsonName("value", out _, out _));
    }

    [Fact]
    public void Components_primitives_and_content_references_are_typed()
    {
        var q = ModelInfo.GetTypeInfo("Questionnaire.item")!;
        Assert.Equal(TypeKind.Component, q.Kind);
        Assert.Same(q, q.GetElement("item")!.Type);  // contentReference #Questionnaire.item
        Assert.True(ModelInfo.GetTypeInfo("code")!.IsA(ModelInfo.GetTypeInfo("string")!));
        Assert.Equal(TypeKind.System, ModelInfo.GetTypeInfo("Extension")!.GetElement("url")!.Type.Kind);
        Assert.Equal(XmlRepresentation.Xhtml, ModelInfo.GetTypeInfo("Narrative")!.GetElement("div")!.Representation);
    }

    [Fact]
    public void Deep_copy_and_structural_equality_work_generically()
    {
        var p = new Patient { Id = "x", Active = true };
        p.Name.Add(new HumanName { Family = "Doe", Given = { "Jane", "Q" } });
        var copy = (Patient)p.DeepCopy();
        Assert.True(p.IsExactly(copy));
        copy.Name[0].Given[1] = "R";
        Assert.False(p.IsExactly(copy));
        Assert.Equal("Q", p.Name[0].Given[1].Value);
    }

    [Fact]
    public void The_generated_element_table_reads_every_field_and_flag()
    {
        var defs = ElementDef.ParseAll("value 0 1 Quantity|string CS;div 1 1 xhtml X;url 1 1 System.String A;item 0 * Reference M");
        Assert.Equal(
            [
                new ElementDef("value", 0, 1, "Quantity|string", F.Choice | F.Summary),
                new ElementDef("div", 1, 1, "xhtml", F.Xhtml),
                new ElementDef("url", 1, 1, "System.String", F.XmlAttribute),
                new ElementDef("item", 0, -1, "Reference", F.Modifier),
            ],
            defs);
        Assert.Empty(ElementDef.ParseAll(""));
        Assert.Equal(F.None, ElementDef.ParseAll("name 0 1 string -")[0].Flags);
        Assert.Throws<InvalidOperationException>(() => ElementDef.ParseAll("name 0 1 string"));
        Assert.Throws<InvalidOperationException>(() => ElementDef.ParseAll("name 0 1 string Q"));

        // What the model built from the real table says of the same kinds of element.
        var quantity = ModelInfo.GetTypeInfo("Observation")!.GetElement("value")!;
        Assert.True(quantity.IsChoice && quantity.IsSummary && quantity.Max == 1);
        Assert.Equal(XmlRepresentation.Xhtml, ModelInfo.GetTypeInfo("Narrative")!.GetElement("div")!.Representation);
        Assert.Equal(XmlRepresentation.Attribute, ModelInfo.GetTypeInfo("Extension")!.GetElement("url")!.Representation);
        Assert.Equal(int.MaxValue, ModelInfo.GetTypeInfo("Patient")!.GetElement("identifier")!.Max);
    }
}
