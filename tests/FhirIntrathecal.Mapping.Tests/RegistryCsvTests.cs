using FhirIntrathecal.Mapping.Cohort;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Mapping.Tests;

public class RegistryCsvTests
{
    private const string Patients = "patient_id,sex,birth_year,diagnosis,diagnosis_onset_year\nP001,female,1961,fbss,2005\nP002,male,1970,lbp,\n";

    private static string Admins(params string[] rows)
    {
        var header = string.Join(",", RegistryCsv.AdministrationColumns);
        return header + "\n" + string.Join("\n", rows) + "\n";
    }

    private const string Good1 = "P001-A01,P001,2010-03-04,3,Midazolam,LOT1,glucose-5,2,25,recumbent,L3-L4,3,intrathecal-midazolam,75,1,8,3,2010-04-01,yes,weeks,6,no,no,no,drowsiness:mild:resolved";
    private const string Good2 = "P002-A01,P002,2011-01-10,2,Midazolam,,saline-0.9,1.5,22,supine,L4-L5,3,intrathecal-midazolam,,0,,,,,unknown,,,,,";

    [Fact]
    public void A_bad_field_names_file_line_and_column_and_the_other_rows_still_go_through()
    {
        var bad = Good1.Replace("P001-A01,P001,2010-03-04,3,", "P001-A02,P001,2010-05-04,three,", StringComparison.Ordinal);
        var result = RegistryCsv.Read(new StringReader(Patients), "patients.csv", new StringReader(Admins(Good1, bad, Good2)), "administrations.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("administrations.csv", 3, "dose_mg"), (error.File, error.Line, error.Column));
        // The message names the field and why, never the value (registry data is PHI).
        Assert.Equal("is not a number", error.Message);
        Assert.Equal((RegistryProblem.Format, "administration P001-A02"), (error.Problem, error.Record));
        Assert.Equal(["P001-A01", "P002-A01"], result.Registry.Administrations.Select(a => a.Id));
        Assert.Equal(2, result.Registry.Patients.Count);
    }

    [Theory]
    [InlineData("glucose-5", "glucos", "diluent")]
    [InlineData("2010-03-04", "04/03/2010", "date")]
    [InlineData("drowsiness:mild:resolved", "drowsy", "adverse_events")]
    [InlineData(",weeks,6,", ",weeks,,", "relief_weeks")]
    public void Each_kind_of_bad_field_is_located(string good, string replacement, string column)
    {
        var result = RegistryCsv.Read(new StringReader(Patients), "p.csv", new StringReader(Admins(Good2, Good1.Replace(good, replacement, StringComparison.Ordinal))), "a.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("a.csv", 3, column), (error.File, error.Line, error.Column));
        Assert.Single(result.Registry.Administrations);
    }

    [Fact]
    public void A_bad_patient_row_is_reported_in_the_patients_file()
    {
        var result = RegistryCsv.Read(new StringReader(Patients + "P003,unknown,1980,lbp,\n"), "patients.csv", new StringReader(Admins(Good1)), "administrations.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(("patients.csv", 4, "sex"), (error.File, error.Line, error.Column));
        Assert.Equal("patients.csv:4:6: field 'sex': is not one of male|female", error.ToString());
    }

    [Fact]
    public void A_missing_column_is_reported_on_the_header_line()
    {
        var result = RegistryCsv.Read(new StringReader("patient_id,sex\nP001,male\n"), "patients.csv", new StringReader(Admins(Good1)), "administrations.csv");
        Assert.Contains(result.Errors, e => e is { File: "patients.csv", Line: 1, Column: "birth_year,diagnosis,diagnosis_onset_year" });
    }

    [Fact]
    public void Writing_and_reading_the_cohort_is_lossless()
    {
        var registry = CohortGenerator.Generate(3);
        var dir = Directory.CreateTempSubdirectory("itm-csv").FullName;
        try
        {
            RegistryCsv.WriteFolder(registry, dir);
            var read = RegistryCsv.ReadFolder(dir);
            Assert.Empty(read.Errors);
            Assert.Equal(registry, read.Registry);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
