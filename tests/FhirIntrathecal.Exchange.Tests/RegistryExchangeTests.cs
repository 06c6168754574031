using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Exchange.Tests;

public sealed class RegistryExchangeTests
{
    private static readonly DateTimeOffset Recorded = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<RegistryExchange> Exchange = new(() => RegistryExchange.CreateDefault());

    [Fact]
    public void The_broken_registry_refuses_exactly_the_bad_rows_with_located_diagnostics_and_keeps_the_rest()
    {
        var prepared = Exchange.Value.Prepare(BrokenRegistry.Folder, Recorded);

        Assert.Equal(BrokenRegistry.Accepted, prepared.Accepted.Order(StringComparer.Ordinal));
        Assert.Equal(BrokenRegistry.Refused, prepared.Refused);
        Assert.Equal(BrokenRegistry.Diagnostics, prepared.Diagnostics.Select(d => (d.Code, Path.GetFileName(d.File), d.Line, d.Column)));
        Assert.Equal(3, prepared.Patients.Count);
        Assert.Contains(prepared.Diagnostics, d => d.Record == "administration P002-A01" && d.Path == "dose_mg");
        // Messages name the field and why, never what it held.
        Assert.DoesNotContain(prepared.Diagnostics, d => d.Message.Contains("2004-13-08", StringComparison.Ordinal) || d.Message.Contains("9 mg", StringComparison.Ordinal));
        // The warning is reported and its administration kept.
        Assert.Contains("administration P003-A02", prepared.Accepted);
    }

    [Fact]
    public void A_path_traversal_id_is_a_located_error_and_never_a_file_name()
    {
        var dir = TempRegistry(
            "patient_id,sex,birth_year,diagnosis,diagnosis_onset_year\n../../x,female,1960,fbss,1997\nP1,male,1970,lbp,\n",
            "administration_id,patient_id,date,dose_mg,product,lot,diluent,volume_ml,needle_gauge,position,level,bed_rest_h,stage,weight_kg,sedation,nrs_baseline,nrs_followup,followup_date,function_improved,relief,relief_weeks,neurotox_bladder,neurotox_bowel,neurotox_radiculopathy,adverse_events\n");
        var prepared = Exchange.Value.Prepare(dir, Recorded);
        var d = Assert.Single(prepared.Diagnostics);
        Assert.Equal(("REGISTRY_ID", 2, 1), (d.Code, d.Line, d.Column));
        Assert.Equal(["patient P1"], prepared.Accepted);

        var output = Path.Combine(dir, "out");
        ConvertOutput.Write(prepared, output);
        Assert.Equal(["P1.json"], Directory.GetFiles(Path.Combine(output, "bundles")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_duplicate_patient_id_is_a_located_error_on_the_second_row()
    {
        var dir = TempRegistry(
            "patient_id,sex,birth_year,diagnosis,diagnosis_onset_year\nP1,female,1960,fbss,1997\nP1,male,1970,lbp,\n",
            "administration_id,patient_id,date,dose_mg,product,lot,diluent,volume_ml,needle_gauge,position,level,bed_rest_h,stage,weight_kg,sedation,nrs_baseline,nrs_followup,followup_date,function_improved,relief,relief_weeks,neurotox_bladder,neurotox_bowel,neurotox_radiculopathy,adverse_events\n");
        var d = Assert.Single(Exchange.Value.Prepare(dir, Recorded).Diagnostics);
        Assert.Equal(("REGISTRY_DUPLICATE", 3, 1, "patient P1 (line 3)"), (d.Code, d.Line, d.Column, d.Record));
    }

    [Fact]
    public void The_same_registry_as_json_gives_the_same_records_and_codes()
    {
        var csv = RegistryCsv.ReadFolder(Path.Combine(AppContext.BaseDirectory, "TestData", "valid-registry"));
        Assert.Empty(csv.Errors);
        var file = Path.Combine(Path.GetTempPath(), $"exchange-{Guid.NewGuid():N}.json");
        RegistryJson.WriteFile(csv.Registry, file);
        var fromJson = Exchange.Value.Prepare(file, Recorded);
        var fromCsv = Exchange.Value.Prepare(Path.Combine(AppContext.BaseDirectory, "TestData", "valid-registry"), Recorded);
        Assert.Equal(fromCsv.Accepted, fromJson.Accepted);
        Assert.Equal(fromCsv.Diagnostics.Select(d => (d.Code, d.Record)), fromJson.Diagnostics.Select(d => (d.Code, d.Record)));
    }

    private static string TempRegistry(string patients, string administrations)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"exchange-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, RegistryCsv.PatientsFile), patients);
        File.WriteAllText(Path.Combine(dir, RegistryCsv.AdministrationsFile), administrations);
        return dir;
    }
}
