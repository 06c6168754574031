using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Tests.Support;
using F = Hl7.Fhir.Model;

namespace FhirIntrathecal.Firely.Tests;

public class InteropRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_R4_example_goes_ours_to_Firely_to_ours_exactly()
    {
        var files = FhirPackages.ExampleFiles();
        var failures = new List<string>();
        foreach (var file in files)
        {
            var ours = FhirJsonParser.Parse(File.ReadAllBytes(file)).Value!;
            var firely = ours.ToFirely();
            var back = firely.FromFirely();
            if (back.Issues.Count > 0 || back.Value is null)
            {
                failures.Add($"{Path.GetFileName(file)}: {string.Join("; ", back.Issues.Take(3))}");
            }
            else if (!back.Value.IsExactly(ours))
            {
                failures.Add($"{Path.GetFileName(file)}: differs after the round trip");
            }
        }

        var summary = $"Firely interop round trip: {files.Count - failures.Count} passed, {failures.Count} failed";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var f in failures.Take(50))
        {
            output.WriteLine("  " + f);
        }

        Assert.Equal(5306, files.Count);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures.Take(20)));
    }

    [Fact]
    public void Decimals_partial_dates_primitive_extensions_contained_and_narrative_survive_both_ways()
    {
        const string json = """
            {"resourceType":"Observation","id":"o1",
             "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>1.50 <b>mg</b></p></div>"},
             "contained":[{"resourceType":"Patient","id":"p","birthDate":"1970-03","_birthDate":{"extension":[{"url":"http://example.org/x","valueString":"approx"}]}}],
             "status":"final","code":{"text":"dose"},"subject":{"reference":"#p"},
             "effectiveDateTime":"2020","valueQuantity":{"value":1.50,"unit":"mg"},
             "component":[{"code":{"text":"big"},"valueQuantity":{"value":0.000000000000000000000000012300}}]}
            """;
        var ours = (Observation)FhirJsonParser.Parse(json).Value!;

        var firely = Assert.IsType<F.Observation>(ours.ToFirely());
        Assert.Equal("1.50", ((F.Quantity)firely.Value!).Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2020", ((F.FhirDateTime)firely.Effective!).Value);
        var patient = Assert.IsType<F.Patient>(Assert.Single(firely.Contained));
        Assert.Equal("1970-03", patient.BirthDate);
        var extension = Assert.Single(patient.BirthDateElement!.Extension);
        Assert.Equal("http://example.org/x", extension.Url);
        Assert.Equal("approx", ((F.FhirString)extension.Value!).Value);
        Assert.Contains("<b>mg</b>", firely.Text!.Div, StringComparison.Ordinal);

        var back = firely.FromFirely<Observation>();
        Assert.Empty(back.Issues);
        Assert.True(back.Value!.IsExactly(ours));
        Assert.Equal(FhirJsonSerializer.SerializeToString(ours), FhirJsonSerializer.SerializeToString(back.Value));
    }

    [Fact]
    public void A_Firely_resource_built_in_code_converts_and_bad_content_comes_back_as_located_issues()
    {
        var firely = new F.Patient { Id = "p1", Active = true, BirthDate = "1970" };
        firely.Name.Add(new F.HumanName { Family = "Doe", Given = ["Jane"] });
        var ours = Assert.IsType<Patient>(firely.FromFirely().Value);
        Assert.Equal("Doe", ours.Name[0].Family?.Value);
        Assert.Equal("1970", ours.BirthDate?.Value);

        var wrongType = firely.FromFirely<Observation>();
        Assert.Null(wrongType.Value);
        Assert.Contains(wrongType.Issues, i => i.Code == "PARSE_RESOURCE_TYPE");
    }
}
