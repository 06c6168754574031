using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.Report;

namespace FhirIntrathecal.Mapping.Tests;

public class CohortTests
{
    /// <summary>The published table, in the report's JSON form.</summary>
    internal const string PublishedJson = """
        {
          "patients": 148,
          "male": 63,
          "female": 85,
          "administrations": 748,
          "administrationsMale": 319,
          "administrationsFemale": 429,
          "lbp": 93,
          "fbss": 655,
          "doses": {
            "2": 211,
            "3": 184,
            "4": 154,
            "5": 199
          },
          "reliefMeanWeeks": 9,
          "reliefMedianWeeks": 5,
          "reliefAtLeast4WeeksPct": 65,
          "noEffectPct": 11,
          "unknownPct": 4,
          "adverseEventPct": {
            "drowsiness": 31,
            "headache": 4,
            "nausea": 1,
            "painWorsening": 7
          }
        }
        """;

    private static readonly Lazy<Registry> Seed0 = new(() => CohortGenerator.Generate(0));

    private static string Normalize(string json) => json.ReplaceLineEndings("\n").Trim();

    [Fact]
    public void Seed_0_registry_reproduces_the_published_marginals_exactly()
    {
        var report = StudyReport.Compute(Seed0.Value);
        Assert.Equal(Normalize(PublishedJson), Normalize(ReportWriter.ToJson(report)));
        Assert.Equal((28, 86, 52.0, 57), (report.AgeMin, report.AgeMax, report.AgeMean, report.MaxAdministrationsPerPatient));
    }

    [Fact]
    public void Seed_0_converted_to_fhir_and_read_back_reproduces_the_published_marginals()
    {
        // Through JSON text, as `convert` then `report <fhir-dir>` would do.
        var options = new ExportOptions("examples/cohort-seed0", new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        var resources = new List<(Resource, string?)>();
        foreach (var (_, bundle) in DomainToFhir.TransactionBundles(Seed0.Value, options))
        {
            var parsed = (Bundle)FhirJsonParser.Parse(FhirJsonSerializer.SerializeToString(bundle)).Value!;
            resources.AddRange(parsed.Entry.Select(e => (e.Resource!, e.FullUrl?.Value)));
        }

        var back = FhirToDomain.Read(resources);
        Assert.Equal(Normalize(PublishedJson), Normalize(ReportWriter.ToJson(StudyReport.Compute(back))));
        Assert.Equal(Seed0.Value.Administrations.OrderBy(a => a.Id, StringComparer.Ordinal), back.Administrations.OrderBy(a => a.Id, StringComparer.Ordinal));
    }

    [Fact]
    public void Seed_0_respects_the_domain_rules()
    {
        var violations = DomainRules.Check(Seed0.Value);
        Assert.DoesNotContain(violations, v => v.Severity == RuleSeverity.Error || v.Code == "interval");
    }

    [Fact]
    public void The_committed_seed_0_cohort_is_what_the_generator_writes()
    {
        var read = RegistryCsv.ReadFolder(Path.Combine(TestPaths.Root, "examples", "cohort-seed0"));
        Assert.Empty(read.Errors);
        Assert.Equal(Seed0.Value, read.Registry);
    }

    [Fact]
    public void Generation_is_deterministic_per_seed_and_other_seeds_hit_the_marginals_too()
    {
        Assert.Equal(CohortGenerator.Generate(7), CohortGenerator.Generate(7));
        Assert.Equal(Normalize(PublishedJson), Normalize(ReportWriter.ToJson(StudyReport.Compute(CohortGenerator.Generate(7)))));
    }

    [Fact]
    public void Charts_are_svg_files()
    {
        var dir = Directory.CreateTempSubdirectory("itm-charts").FullName;
        try
        {
            var files = SvgCharts.WriteAll(StudyReport.Compute(Seed0.Value), dir);
            Assert.Equal(5, files.Count);
            Assert.All(files, f => Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", File.ReadAllText(f), StringComparison.Ordinal));
            Assert.Contains(">211<", File.ReadAllText(Path.Combine(dir, "doses.svg")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
