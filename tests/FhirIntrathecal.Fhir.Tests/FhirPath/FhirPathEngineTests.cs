using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.FhirPath;

/// <summary>The public API over model instances built in C#: navigation, conversions, hooks, variables, errors, caching.</summary>
public class FhirPathEngineTests
{
    private static Patient NewPatient() => new()
    {
        Id = "p1",
        Active = true,
        BirthDate = "1974-12-25",
        Gender = "male",
        Name =
        {
            new HumanName { Use = "official", Family = "Doe", Given = { "Jim", "J" } },
            new HumanName { Use = "nickname", Given = { "Jimmy" } },
        },
        Contained = { new Organization { Id = "org1", Name = "Acme" } },
        ManagingOrganization = new Reference { Reference_ = "#org1" },
        Extension = { new Extension { Url = "http://example.org/ext", Value = new FhirString("x") } },
    };

    [Fact]
    public void Navigates_model_instances_and_converts_primitives_to_System_values()
    {
        var p = NewPatient();
        Assert.Equal(["Jim", "J", "Jimmy"], FhirPathEvaluator.Evaluate(p, "Patient.name.given").Select(FhirPathEvaluator.ToSystemValue));
        Assert.True(FhirPathEvaluator.IsTrue(p, "active and birthDate < @2000-01-01 and gender = 'male'"));
        Assert.Equal("Doe", FhirPathEvaluator.EvaluateToString(p, "name.where(use = 'official').family"));
        Assert.Equal("3", FhirPathEvaluator.EvaluateToString(p, "name.given.count()"));
        Assert.Equal("p1", FhirPathEvaluator.EvaluateToString(p, "id"));
        Assert.Equal("x", FhirPathEvaluator.EvaluateToString(p, "extension('http://example.org/ext').value"));
        Assert.True(FhirPathEvaluator.IsTrue(p, "gender.is(code) and gender.is(string) and birthDate.is(date)"));
    }

    [Fact]
    public void Resolves_contained_references_and_bundle_entries()
    {
        var p = NewPatient();
        Assert.Equal("Acme", FhirPathEvaluator.EvaluateToString(p, "managingOrganization.resolve().name"));

        var patient = new Patient { Id = "a", Active = false };
        var bundle = new Bundle
        {
            Type = "collection",
            Entry =
            {
                new Bundle.EntryComponent { FullUrl = "urn:uuid:1", Resource = patient },
                new Bundle.EntryComponent
                {
                    FullUrl = "http://x/Observation/o",
                    Resource = new Observation { Id = "o", Status = "final", Subject = new Reference { Reference_ = "Patient/a" } },
                },
            },
        };
        Assert.Equal([false], FhirPathEvaluator.Evaluate(bundle, "entry.resource.ofType(Observation).subject.resolve().active").Select(FhirPathEvaluator.ToSystemValue));
        Assert.Equal("a", FhirPathEvaluator.EvaluateToString(bundle, "'urn:uuid:1'.resolve().id"));

        var external = new Patient { Id = "ext" };
        var context = new EvaluationContext { Resolver = r => r == "http://server/Patient/ext" ? external : null };
        Assert.Equal("ext", FhirPathEvaluator.EvaluateToString(null, "'http://server/Patient/ext'.resolve().id", context));
    }

    [Fact]
    public void Context_variables_and_hooks()
    {
        var p = NewPatient();
        var context = new EvaluationContext
        {
            MemberOf = (code, vs) => vs == "http://hl7.org/fhir/ValueSet/administrative-gender" && code is string s && s is "male" or "female",
        }.With("limit", 2).With("names", new List<string> { "a", "b" });
        Assert.True(FhirPathEvaluator.IsTrue(p, "name.given.count() > %limit and %names.count() = 2", context));
        Assert.True(FhirPathEvaluator.IsTrue(p, "gender.memberOf(%`vs-administrative-gender`)", context));
        Assert.Empty(FhirPathEvaluator.Evaluate(p, "gender.memberOf('http://x')"));
        Assert.Equal("http://unitsofmeasure.org", FhirPathEvaluator.EvaluateToString(p, "%ucum"));
        Assert.True(FhirPathEvaluator.IsTrue(p, "%resource.id = 'p1' and %context.id = 'p1' and %rootResource.id = 'p1'"));

        var traces = new List<string>();
        var traced = new EvaluationContext { Tracer = (name, items) => traces.Add($"{name}:{items.Count}") };
        FhirPathEvaluator.Evaluate(p, "name.trace('names').given", traced);
        Assert.Equal(["names:2"], traces);

        var fixedNow = new EvaluationContext { Now = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero) };
        Assert.Equal("2024-05-06", FhirPathEvaluator.EvaluateToString(p, "today()", fixedNow));
        Assert.Equal("1974-05-06", FhirPathEvaluator.EvaluateToString(p, "today() - 50 years", fixedNow));
        Assert.Equal("2024-05-06T07:08:09.000Z", FhirPathEvaluator.EvaluateToString(p, "now()", fixedNow));
    }

    [Fact]
    public void Quantities_use_UCUM_and_calendar_durations()
    {
        Assert.True(FhirPathEvaluator.IsTrue(null, "1 'kg' = 1000 'g' and 1 'h' > 59 'min' and 2 weeks = 14 days and 1 year = 12 months"));
        Assert.Empty(FhirPathEvaluator.Evaluate(null, "1 year = 1 'a'"));
        Assert.True(FhirPathEvaluator.IsTrue(null, "1 year ~ 1 'a'"));
        Assert.Empty(FhirPathEvaluator.Evaluate(null, "1 'kg' = 1 'm'"));
        var obs = new Observation { Status = "final", Value = new Quantity { Value = 185m, Unit = "cm", System = "http://unitsofmeasure.org", Code = "cm" } };
        Assert.True(FhirPathEvaluator.IsTrue(obs, "value > 1.8 'm' and value < 2 'm' and (value as Quantity).value = 185"));
        Assert.Equal("2024-02-29", FhirPathEvaluator.EvaluateToString(null, "@2024-01-31 + 29 days"));
        Assert.Equal("2025-02-28", FhirPathEvaluator.EvaluateToString(null, "@2024-02-29 + 1 year"));
    }

    [Fact]
    public void Date_time_precision_rules()
    {
        Assert.Empty(FhirPathEvaluator.Evaluate(null, "@2012-04-15 = @2012-04-15T10:00:00"));
        Assert.True(FhirPathEvaluator.IsTrue(null, "@2012-04-15T10:00:00Z = @2012-04-15T12:00:00+02:00"));
        Assert.True(FhirPathEvaluator.IsTrue(null, "@2012 < @2013-01-01"));
        Assert.Empty(FhirPathEvaluator.Evaluate(null, "@2012 < @2012-06-01"));
        Assert.True(FhirPathEvaluator.IsTrue(null, "@T10:30:00 = @T10:30:00.000"));
        Assert.False(FhirPathEvaluator.IsTrue(null, "@2012-04-15 ~ @2012-04-15T10:00:00"));
    }

    [Fact]
    public void Runtime_errors_carry_the_expression_and_position()
    {
        var p = NewPatient();
        var e = Assert.Throws<FhirPathEvaluationException>(() => FhirPathEvaluator.Evaluate(p, "name.given.single()"));
        Assert.Equal(11, e.Position);
        Assert.Equal("name.given.single()", e.Expression);

        var unknown = Assert.Throws<FhirPathEvaluationException>(() => FhirPathEvaluator.Evaluate(p, "name.frobnicate()"));
        Assert.Equal(5, unknown.Position);
        Assert.Contains("unknown function", unknown.Message, StringComparison.Ordinal);

        var type = Assert.Throws<FhirPathEvaluationException>(() => FhirPathEvaluator.Evaluate(p, "1 + 'a'"));
        Assert.Equal(2, type.Position);
        Assert.Throws<FhirPathEvaluationException>(() => FhirPathEvaluator.Evaluate(p, "%undefined"));
        Assert.Throws<FhirPathEvaluationException>(() => FhirPathEvaluator.Evaluate(p, "name.given < 3"));
    }

    [Fact]
    public void Strict_mode_checks_element_names_statically()
    {
        Assert.Throws<FhirPathSemanticException>(() => FhirPathCompiler.CompileStrict("name.given1", "Patient"));
        Assert.Throws<FhirPathSemanticException>(() => FhirPathCompiler.CompileStrict("Encounter.status", "Patient"));
        Assert.Throws<FhirPathSemanticException>(() => FhirPathCompiler.CompileStrict("(Observation.value as Period).unit", "Observation"));
        FhirPathCompiler.CompileStrict("Patient.name.where(use = 'official').given.first()", "Patient");
        FhirPathCompiler.CompileStrict("(Observation.value as Quantity).unit", "Observation");
    }

    [Fact]
    public void Narrative_html_checks()
    {
        // 'div' is the operator keyword: the element must be written as a delimited identifier.
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.Compile("text.div"));
        Assert.True(FhirPathEvaluator.IsTrue(new Patient { Text = new Narrative { Status = "generated", Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>ok</p></div>" } }, "text.`div`.htmlChecks()"));
        Assert.False(FhirPathEvaluator.IsTrue(new Patient { Text = new Narrative { Status = "generated", Div = "<div><script>x()</script></div>" } }, "text.`div`.htmlChecks()"));
        Assert.False(FhirPathEvaluator.IsTrue(new Patient { Text = new Narrative { Status = "generated", Div = "<div><img src=\"a\" onerror=\"x()\"/></div>" } }, "text.`div`.htmlChecks()"));
    }

    [Fact]
    public void Compiled_expressions_are_cached_and_thread_safe()
    {
        var a = FhirPathCompiler.Compile("name.given.count()");
        Assert.Same(a, FhirPathCompiler.Compile("name.given.count()"));
        var p = NewPatient();
        Parallel.For(0, 2_000, i =>
        {
            var compiled = FhirPathCompiler.Compile($"name.given.count() + {i % 50}");
            Assert.Equal([3L + (i % 50)], compiled.Evaluate(p));
        });
    }
}
