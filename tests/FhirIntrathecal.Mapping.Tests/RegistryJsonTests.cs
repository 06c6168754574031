using System.Text;
using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.RegistryFiles;
using FhirIntrathecal.Mapping.Report;

namespace FhirIntrathecal.Mapping.Tests;

public class RegistryJsonTests
{
    // Line 4: patient P002 without "sex"; line 8: dose_mg as a string; line 9: an unknown diluent.
    private const string Bad = """
        {
          "patients": [
            {"patient_id": "P001", "sex": "female", "birth_year": 1961, "diagnosis": "fbss", "diagnosis_onset_year": 2005},
            {"patient_id": "P002", "birth_year": 1970, "diagnosis": "lbp"}
          ],
          "administrations": [
            {"administration_id": "P001-A01", "patient_id": "P001", "date": "2010-03-04", "dose_mg": 3, "product": "Midazolam", "diluent": "glucose-5", "volume_ml": 2, "needle_gauge": 25, "position": "recumbent", "level": "L3-L4", "bed_rest_h": 3, "stage": "intrathecal-midazolam", "relief": "unknown"},
            {"administration_id": "P001-A02", "patient_id": "P001", "date": "2010-05-04", "dose_mg": "three", "product": "Midazolam", "diluent": "glucose-5", "volume_ml": 2, "needle_gauge": 25, "position": "recumbent", "level": "L3-L4", "bed_rest_h": 3, "stage": "intrathecal-midazolam", "relief": "unknown"},
            {"administration_id": "P001-A03", "patient_id": "P001", "date": "2010-07-04", "dose_mg": 2.5, "product": "Midazolam", "diluent": "glucos", "volume_ml": 2, "needle_gauge": 25, "position": "recumbent", "level": "L3-L4", "bed_rest_h": 3, "stage": "intrathecal-midazolam", "relief": "unknown"},
            {"administration_id": "P001-A04", "patient_id": "P001", "date": "2010-09-04", "dose_mg": 2, "product": "Midazolam", "diluent": "saline-0.9", "volume_ml": 1.5, "needle_gauge": 22, "position": "supine", "level": "L4-L5", "bed_rest_h": 3, "stage": "intrathecal-midazolam", "weight_kg": 75, "nrs_baseline": 8, "nrs_followup": 3, "followup_date": "2010-10-01", "function_improved": true, "relief": "weeks", "relief_weeks": 6, "neurotox_bladder": false, "neurotox_bowel": false, "neurotox_radiculopathy": false, "adverse_events": [{"kind": "drowsiness", "severity": "mild", "outcome": "resolved"}]}
          ]
        }
        """;

    private static RegistryReadResult ReadText(string json) => RegistryJson.Read(Encoding.UTF8.GetBytes(json), "registry.json");

    private static byte[] ToJson(FhirIntrathecal.Domain.Registry registry)
    {
        using var stream = new MemoryStream();
        RegistryJson.Write(registry, stream);
        return stream.ToArray();
    }

    [Fact]
    public void The_seed_0_cohort_round_trips_through_json()
    {
        var registry = CohortGenerator.Generate(0);
        var read = RegistryJson.Read(ToJson(registry), "registry.json");
        Assert.Empty(read.Errors);
        Assert.Equal(registry, read.Registry);
    }

    [Fact]
    public void A_report_from_the_json_registry_equals_the_one_from_the_csv_registry()
    {
        var csvFolder = Path.Combine(TestPaths.Root, "examples", "cohort-seed0");
        var csv = RegistryInput.Read(csvFolder);
        Assert.Empty(csv.Errors);
        var dir = Directory.CreateTempSubdirectory("itm-json").FullName;
        try
        {
            // Both ways in: a folder holding registry.json and a path to the .json file itself.
            RegistryJson.WriteFile(csv.Registry, Path.Combine(dir, RegistryJson.FileName));
            File.Copy(Path.Combine(dir, RegistryJson.FileName), Path.Combine(dir, "export.json"));
            Assert.Equal(RegistryLayout.Csv, RegistryInput.Detect(csvFolder));
            Assert.Equal(RegistryLayout.Json, RegistryInput.Detect(dir));
            Assert.Equal(RegistryLayout.Json, RegistryInput.Detect(Path.Combine(dir, "export.json")));
            var expected = ReportWriter.ToJson(StudyReport.Compute(csv.Registry));
            foreach (var path in new[] { dir, Path.Combine(dir, "export.json") })
            {
                var json = RegistryInput.Read(path);
                Assert.Empty(json.Errors);
                Assert.Equal(expected, ReportWriter.ToJson(StudyReport.Compute(json.Registry)));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_fhir_resource_is_not_a_json_registry()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("itm-json").FullName, "patient.json");
        File.WriteAllText(file, """{"resourceType":"Patient","patients":[]}""");
        Assert.Null(RegistryInput.Detect(file));
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public void Bad_type_bad_code_and_missing_field_are_located_and_the_other_records_load()
    {
        var result = ReadText(Bad);
        Assert.Equal(
            [
                ("registry.json", 4, 5, "sex", "patients[1].sex"),
                ("registry.json", 8, 94, "dose_mg", "administrations[1].dose_mg"),
                ("registry.json", 9, 134, "diluent", "administrations[2].diluent"),
            ],
            result.Errors.Select(e => (e.File, e.Line, e.Position, e.Column, e.Path)));
        Assert.Equal("registry.json:4:5: field 'sex': is required (male|female)", result.Errors[0].ToString());
        Assert.Equal("registry.json:8:94: field 'dose_mg': must be a JSON number, not a string", result.Errors[1].ToString());
        Assert.Equal("registry.json:9:134: field 'diluent': is not one of glucose-5|saline-0.9", result.Errors[2].ToString());
        Assert.Equal(["P001"], result.Registry.Patients.Select(p => p.RegistryId));
        Assert.Equal(["P001-A01", "P001-A04"], result.Registry.Administrations.Select(a => a.Id));
        var full = result.Registry.Administrations[1];
        Assert.Equal((6, true, 1), (full.Outcome.Weeks, full.Pain!.FollowUp!.FunctionImproved, full.AdverseEvents.Count));
    }

    [Theory]
    [InlineData("\"severity\": \"mild\"", "\"severity\": \"mildish\"", "adverse_events[0].severity", "administrations[3].adverse_events[0].severity", "\"mildish\"")]
    [InlineData("\"function_improved\": true", "\"function_improved\": \"yes\"", "function_improved", "administrations[3].function_improved", "\"yes\"")]
    [InlineData("\"relief_weeks\": 6", "\"relief_weeks\": 6.5", "relief_weeks", "administrations[3].relief_weeks", "6.5")]
    [InlineData("\"weight_kg\": 75", "\"weight_kgs\": 75", "weight_kgs", "administrations[3].weight_kgs", "\"weight_kgs\"")]
    public void Each_kind_of_bad_value_is_located_where_it_stands(string good, string replacement, string field, string path, string at)
    {
        var json = Bad.Replace(good, replacement, StringComparison.Ordinal);
        var error = ReadText(json).Errors.Single(e => e.Line == 10);
        Assert.Equal((field, path), (error.Column, error.Path));
        Assert.Equal(json.Split('\n')[9].IndexOf(at, StringComparison.Ordinal) + 1, error.Position);
    }

    [Fact]
    public void Malformed_json_is_one_located_error()
    {
        var result = ReadText("{\n  \"patients\": [\n    {\"patient_id\": \"P001\",}\n  ]\n}");
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Empty(result.Registry.Patients);
    }
}
