using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.FhirPath;

/// <summary>
/// <see cref="CompiledExpression.TryEvaluateSingle"/>: where it answers, it gives the very item (or none) that the full
/// evaluation gives on the one-item focus; where the result could be several items, an error or need variables, it
/// declines, and the full evaluation decides.
/// </summary>
public class FhirPathSingleItemTests
{
    private const string Ext = "http://example.org/fhir/StructureDefinition/";

    private static readonly Dictionary<string, object> Constants = new(StringComparer.Ordinal) { ["ext"] = Ext };

    private static Patient NewPatient() => new()
    {
        Id = "p1",
        Identifier =
        {
            new Identifier { System = "http://example.org/sid", Value = "s1" },
        },
        Name = { new HumanName { Family = "Doe", Given = { "a", "b" } } },
        GeneralPractitioner = { new Reference { Reference_ = "Practitioner/7/_history/2" } },
        ManagingOrganization = new Reference { Reference_ = "Organization/o1" },
        Deceased = new FhirBoolean(false),
        Extension =
        {
            new Extension { Url = Ext + "gauge", Value = new Integer(22) },
            new Extension { Url = Ext + "twice", Value = new FhirString("x") },
            new Extension { Url = Ext + "twice", Value = new FhirString("y") },
            new Extension { Url = Ext + "code", Value = new CodeableConcept { Coding = { new Coding { Code = "c1" } } } },
        },
    };

    /// <summary>Paths that give at most one item on the patient: answered without the full evaluation.</summary>
    [Theory]
    [InlineData("id")]
    [InlineData("identifier.value")]
    [InlineData("name.family")]
    [InlineData("birthDate")]
    [InlineData("managingOrganization.getReferenceKey(Organization)")]
    [InlineData("managingOrganization.getReferenceKey(Patient)")]
    [InlineData("managingOrganization.getReferenceKey()")]
    [InlineData("generalPractitioner.getReferenceKey(Practitioner).first()")]
    [InlineData("getResourceKey()")]
    [InlineData("deceased.ofType(boolean)")]
    [InlineData("deceased.ofType(dateTime)")]
    [InlineData("extension(%ext + 'gauge').value.ofType(integer)")]
    [InlineData("extension(%ext + 'code').value.ofType(CodeableConcept).coding.code.first()")]
    [InlineData("extension(%ext + 'missing').value")]
    [InlineData("extension('http://example.org/fhir/StructureDefinition/gauge').value.last()")]
    [InlineData("id.single()")]
    [InlineData("identifier.where(system = %ext).value")]
    [InlineData("identifier.where(system = 'http://example.org/sid').value.first()")]
    [InlineData("identifier.where(system = 'http://example.org/other').value")]
    [InlineData("identifier.where(value = 's1')")]
    [InlineData("identifier.where(period = 's1')")]
    [InlineData("identifier.where(id)")]
    [InlineData("name.where(family = 'Doe').family")]
    public void A_single_item_path_gives_what_the_full_evaluation_gives(string text)
    {
        var patient = NewPatient();
        var expression = FhirPathCompiler.CompileUncached(text).WithConstants(Constants);
        var full = expression.Evaluate([patient], new EvaluationContext());
        Assert.True(expression.TryEvaluateSingle(patient, out var item));
        Assert.True(full.Count <= 1);
        if (full.Count == 0)
        {
            Assert.Null(item);
        }
        else if (full[0] is Base element)
        {
            Assert.Same(element, item);
        }
        else
        {
            Assert.Equal(full[0], item);
        }
    }

    /// <summary>Several items (on the way, too), errors, variables, type names and other functions or operators: declined.</summary>
    [Theory]
    [InlineData("name.given")]
    [InlineData("name.given.first()")]
    [InlineData("extension(%ext + 'twice').value")]
    [InlineData("extension(%ext + 'twice').value.first()")]
    [InlineData("identifier.where(value.length() > 1).value")]
    [InlineData("identifier.where($this.system = 'x')")]
    [InlineData("name.given.where($this = 'a')")]
    [InlineData("Patient.id")]
    [InlineData("deceasedBoolean")]
    [InlineData("%resource.id")]
    [InlineData("id + 'x'")]
    [InlineData("extension(id).value")]
    [InlineData("name.given.count()")]
    public void Anything_else_is_left_to_the_full_evaluation(string text)
    {
        var expression = FhirPathCompiler.CompileUncached(text).WithConstants(Constants);
        Assert.False(expression.TryEvaluateSingle(NewPatient(), out var item));
        Assert.Null(item);
    }
}
