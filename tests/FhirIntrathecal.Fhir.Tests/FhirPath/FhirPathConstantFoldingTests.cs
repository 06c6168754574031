using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.FhirPath;

/// <summary>
/// <see cref="CompiledExpression.WithConstants"/>: an expression with its constants bound and folded gives what the
/// unbound expression gives with the same values as context variables: single, empty and multi-valued constants,
/// errors (same message and position) included.
/// </summary>
public class FhirPathConstantFoldingTests
{
    private const string Ext = "http://example.org/fhir/StructureDefinition/";

    private static readonly Dictionary<string, object> Constants = new(StringComparer.Ordinal)
    {
        ["ext"] = Ext,
        ["empty"] = Array.Empty<object>(),
        ["many"] = new List<object> { "a", "b" },
        ["n"] = 2L,
        ["system"] = "http://example.org/sid",
        ["resource"] = "not the resource",
    };

    private static Patient NewPatient() => new()
    {
        Id = "p1",
        Identifier =
        {
            new Identifier { System = "http://example.org/other", Value = "o1" },
            new Identifier { System = "http://example.org/sid", Value = "s1" },
        },
        Name = { new HumanName { Family = "Doe", Given = { "a", "b", "c" } } },
        Extension =
        {
            new Extension { Url = Ext + "gauge", Value = new Integer(22) },
            new Extension { Url = Ext + "other", Value = new FhirString("x") },
        },
    };

    public static TheoryData<string> Expressions() =>
    [
        "extension(%ext + 'gauge').value.ofType(integer)",
        "extension(%ext + 'missing').value",
        "identifier.where(system = %system).value.first()",
        "%ext + 'gauge'",
        "%n * 3 + 1",
        "-%n",
        "%n > 1 and %n < 3",
        "%empty + 'x'",
        "%empty",
        "%empty.exists()",
        "%many",
        "%many.count()",
        "%many | 'c'",
        "name.given.where($this in %many)",
        "name.given[%n - 1]",
        "name.given.where($this = %many.first()) | %many.last()",
        "(%n + 1) is Integer",
        "%resource",
        "%context.id",
        "%ext & %empty",
    ];

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Folded_expression_gives_the_unfolded_result(string text)
    {
        var patient = NewPatient();
        var unfolded = FhirPathCompiler.CompileUncached(text);
        var folded = unfolded.WithConstants(Constants);
        Assert.Equal(text, folded.Text);
        Assert.Equal(Evaluate(unfolded, patient, WithVariables()), Evaluate(folded, patient, new EvaluationContext()));
    }

    [Theory]
    [InlineData("%many + 'x'")]
    [InlineData("%ext + 1")]
    [InlineData("extension(%many).value")]
    [InlineData("-%ext")]
    [InlineData("%undefined + %n / 0")]
    public void Folded_expression_fails_as_the_unfolded_one(string text)
    {
        var patient = NewPatient();
        var unfolded = FhirPathCompiler.CompileUncached(text);
        var expected = Assert.Throws<FhirPathEvaluationException>(() => unfolded.Evaluate(patient, WithVariables()));
        var actual = Assert.Throws<FhirPathEvaluationException>(() => unfolded.WithConstants(Constants).Evaluate(patient, new EvaluationContext()));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Position, actual.Position);
    }

    [Fact]
    public void Constant_sub_expressions_are_computed_once_and_bound_names_leave_the_references()
    {
        var unfolded = FhirPathCompiler.CompileUncached("extension(%ext + 'gauge').value | %other");
        var folded = unfolded.WithConstants(Constants);
        var argument = Assert.IsType<FunctionNode>(Assert.IsType<MemberNode>(Assert.IsType<BinaryNode>(folded.Root).Left).Target).Arguments[0];
        Assert.Equal([Ext + "gauge"], Assert.IsType<ConstantNode>(argument).Items);
        Assert.Equal(unfolded.VariableReferences().Where(r => r.Name == "other"), folded.VariableReferences());
        Assert.Equal(2, unfolded.VariableReferences().Count);
    }

    [Fact]
    public void Without_anything_to_bind_the_same_expression_is_returned()
    {
        var expression = FhirPathCompiler.CompileUncached("name.given.first() + %other");
        Assert.Same(expression, expression.WithConstants(Constants));
        Assert.Same(expression, expression.WithConstants(new Dictionary<string, object>()));
    }

    private static EvaluationContext WithVariables()
    {
        var context = new EvaluationContext();
        foreach (var (name, value) in Constants)
        {
            context.Variables[name] = value;
        }

        return context;
    }

    private static List<object?> Evaluate(CompiledExpression expression, Patient patient, EvaluationContext context) =>
        [.. expression.Evaluate(patient, context).Select(FhirPathEvaluator.ToSystemValue)];
}
