using FhirIntrathecal.Fhir.IO;

namespace FhirIntrathecal.Fhir.Tests.IO;

public sealed class SafeFileNamesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fi-names-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("Patient", FileNameProblem.None)]
    [InlineData("p-001.v2", FileNameProblem.None)]
    [InlineData("under_score", FileNameProblem.None)]
    [InlineData("", FileNameProblem.Empty)]
    [InlineData(null, FileNameProblem.Empty)]
    [InlineData("..", FileNameProblem.LeadingDot)]
    [InlineData(".hidden", FileNameProblem.LeadingDot)]
    [InlineData("../../../../../x", FileNameProblem.BadCharacter)]
    [InlineData("a/b", FileNameProblem.BadCharacter)]
    [InlineData("a\\b", FileNameProblem.BadCharacter)]
    [InlineData("C:x", FileNameProblem.BadCharacter)]
    [InlineData("Jane Doe", FileNameProblem.BadCharacter)]
    [InlineData("nul\0", FileNameProblem.BadCharacter)]
    public void Check_accepts_only_names_that_stay_in_their_folder(string? value, FileNameProblem expected) =>
        Assert.Equal(expected, SafeFileNames.Check(value));

    [Fact]
    public void A_300_character_id_is_a_TooLong_problem_whose_message_gives_the_length_not_the_value()
    {
        var id = new string('a', 300);

        Assert.False(SafeFileNames.TryCreate(id, ".json", out var name, out var problem));
        Assert.Equal(string.Empty, name);
        Assert.Equal(FileNameProblem.TooLong, problem);
        var message = SafeFileNames.Describe(problem, id.Length);
        Assert.Contains("300 characters", message, StringComparison.Ordinal);
        Assert.DoesNotContain(id, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_makes_any_text_a_safe_name_and_keeps_long_inputs_distinct()
    {
        Assert.Equal(FileNameProblem.None, SafeFileNames.Check(SafeFileNames.Sanitize("../../etc/passwd")));
        Assert.Equal(FileNameProblem.None, SafeFileNames.Check(SafeFileNames.Sanitize("..")));
        var a = SafeFileNames.Sanitize(new string('x', 200) + "a");
        var b = SafeFileNames.Sanitize(new string('x', 200) + "b");
        Assert.Equal(SafeFileNames.MaxLength, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void PathIn_refuses_a_name_that_would_leave_the_folder()
    {
        Assert.Equal(Path.Combine(Path.GetFullPath(_dir), "x.json"), SafeFileNames.PathIn(_dir, "x.json"));
        Assert.Throws<ArgumentException>(() => SafeFileNames.PathIn(_dir, "../x.json"));
        Assert.Throws<ArgumentException>(() => SafeFileNames.PathIn(_dir, "sub/x.json"));
        Assert.Throws<ArgumentException>(() => SafeFileNames.PathUnder(_dir, "../../x.json"));
        Assert.StartsWith(Path.GetFullPath(_dir), SafeFileNames.PathUnder(_dir, "sub/x.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUnique_never_opens_an_existing_file()
    {
        var written = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var stream = SafeFileNames.CreateUnique(_dir, "x.ndjson_1", ".json");
            await stream.WriteAsync(new[] { (byte)('0' + i) }, TestContext.Current.CancellationToken);
            written.Add(stream.Name);
        }

        Assert.Equal(["x.ndjson_1.json", "x.ndjson_1_1.json", "x.ndjson_1_2.json"], written.Select(Path.GetFileName));
        Assert.Equal("0", await File.ReadAllTextAsync(written[0], TestContext.Current.CancellationToken));
        Assert.Equal("2", await File.ReadAllTextAsync(written[2], TestContext.Current.CancellationToken));
    }
}
