using System.Text;
using FhirIntrathecal.Exchange.FhirInput;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Validation;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Exchange.Tests;

/// <summary>FHIR input through the exchange: strict parse, validation by default, refused records parked byte for byte.</summary>
public sealed class FhirInputTests : IDisposable
{
    private static readonly Lazy<FhirValidator> Validator = new(() => IntrathecalIg.CreateValidator());
    private readonly string _dir = Directory.CreateTempSubdirectory("fi-fhir-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_unknown_element_is_a_located_error_and_the_valid_file_beside_it_is_accepted()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "a-good.json"), """{"resourceType":"Patient","id":"good","gender":"female"}""", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(input, "b-bad.json"), "{\"resourceType\":\"Patient\",\n  \"id\":\"bad\",\n  \"favouriteColour\":\"blue\"}", TestContext.Current.CancellationToken);

        var records = await new FhirInputReader(Validator.Value).ReadAsync(FhirInputReader.Files(input), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, records.Count);
        Assert.True(records[0].Accepted);
        Assert.False(records[1].Accepted);
        var error = Assert.Single(records[1].Diagnostics, d => d.IsError);
        // Line 3; the column is where the parser reports the member (its value).
        Assert.Equal((DiagnosticCatalog.FhirParse.Code, 3, 21), (error.Code, error.Line, error.Column));
        Assert.Equal("Patient.favouriteColour", error.Path);
        Assert.Contains("PARSE_UNKNOWN_ELEMENT", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("blue", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ndjson_is_checked_line_by_line_valid_lines_are_batched_and_refused_lines_parked_as_they_came()
    {
        var file = Path.Combine(_dir, "in.ndjson");
        var lines = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            lines.Add(i switch
            {
                2 => """{"resourceType":"Patient","id":"n2","favouriteColour":"blue"}""",
                4 => """{"resourceType":"Patient","id":"n4",""",
                _ => $$"""{"resourceType":"Patient","id":"n{{i}}"}""",
            });
        }

        await File.WriteAllTextAsync(file, string.Join('\n', lines) + "\n", TestContext.Current.CancellationToken);
        var park = Path.Combine(_dir, "parked");
        var refused = new List<RefusedRecord>();

        var units = await FhirDelivery.UnitsAsync(new FhirInputReader(Validator.Value).ReadAsync([file], TestContext.Current.CancellationToken), 3, park, refused.Add, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["in.ndjson#1", "in.ndjson#2"], units.Select(u => u.Source));
        Assert.Equal([3, 2], units.Select(u => u.Bundle.Entry.Count));
        Assert.Equal(["n0", "n1", "n3", "n5", "n6"], units.SelectMany(u => u.Bundle.Entry).Select(e => e.Resource!.Id));
        Assert.Equal([3L, 5L], refused.Select(r => r.Record.Line));
        Assert.All(refused, r => Assert.All(r.Record.Diagnostics, d => Assert.Equal((int)r.Record.Line, d.Line)));
        Assert.Equal(lines[2], await File.ReadAllTextAsync(Path.Combine(park, "in-line-3.ndjson"), TestContext.Current.CancellationToken));
        Assert.Equal(lines[4], await File.ReadAllTextAsync(Path.Combine(park, "in-line-5.ndjson"), TestContext.Current.CancellationToken));
        Assert.Contains($"{file}:3:", await File.ReadAllTextAsync(Path.Combine(park, "in-line-3.ndjson.reason.txt"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_breaking_our_ig_is_refused_and_an_unknown_meta_profile_is_only_a_warning()
    {
        var reader = new FhirInputReader(Validator.Value);
        var sevenMg = RepoFile(Path.Combine("profiles", "examples-invalid", "MedicationAdministration-invalid-administration-dose-7mg.json"))
            ?? throw new InvalidOperationException("the IG's 7 mg invalid example is missing from profiles/examples-invalid");

        var ours = reader.Read(sevenMg, 0, File.ReadAllBytes(sevenMg), xml: false);
        Assert.False(ours.Accepted);
        Assert.Contains(ours.Diagnostics, d => d.Code == DiagnosticCatalog.FhirInvalid.Code);

        var unknown = reader.Read("p.json", 0, Encoding.UTF8.GetBytes("""{"resourceType":"Patient","meta":{"profile":["http://example.org/StructureDefinition/nowhere"]}}"""), xml: false);
        Assert.True(unknown.Accepted);
        Assert.All(unknown.Diagnostics, d => Assert.Equal(DiagnosticCatalog.FhirWarning.Code, d.Code));
        var warning = Assert.Single(unknown.Diagnostics, d => d.Message.Contains(MessageIds.ProfileUnknown, StringComparison.Ordinal));
        Assert.Equal("Patient.meta.profile", warning.Path);
    }

    [Fact]
    public void An_explicit_profile_that_resolves_nowhere_is_a_configuration_error()
    {
        var setup = ValidationSetup.Load([], ["http://example.org/StructureDefinition/nowhere", "http://hl7.org/fhir/StructureDefinition/Patient"]);

        Assert.True(setup.HasConfigurationErrors);
        Assert.Equal(["http://example.org/StructureDefinition/nowhere"], setup.UnknownProfiles);
    }

    [Fact]
    public void Without_validation_the_parse_stays_strict()
    {
        var reader = new FhirInputReader(null);
        var record = reader.Read("p.json", 0, Encoding.UTF8.GetBytes("""{"resourceType":"Patient","favouriteColour":"blue","meta":{"profile":["http://example.org/x"]}}"""), xml: false);

        Assert.False(reader.Validates);
        Assert.False(record.Accepted);
        Assert.Equal([DiagnosticCatalog.FhirParse.Code], record.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public async Task A_line_longer_than_the_bound_is_reported_and_the_next_line_still_read()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('x', 5000) + "\n" + "{}\n\n" + "ab");
        using var stream = new MemoryStream(bytes);

        // A line's bytes are valid until the next one is read: decode each as it comes.
        var lines = await NdjsonSplitter.ReadLinesAsync(stream, new NdjsonSplitOptions { MaxLineBytes = 100 }, TestContext.Current.CancellationToken)
            .Select(l => (l.Number, l.TooLong, Encoding.UTF8.GetString(l.Bytes.Span))).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([(1L, true, ""), (2L, false, "{}"), (4L, false, "ab")], lines);
    }

    /// <summary>A file of the repository, found by walking up from the test's folder; null when absent.</summary>
    private static string? RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
