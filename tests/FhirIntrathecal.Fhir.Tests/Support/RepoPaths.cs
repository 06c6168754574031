namespace FhirIntrathecal.Fhir.Tests.Support;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding FhirIntrathecal.sln).</summary>
    public static string Root { get; } = Find();

    /// <summary>../shared/fhir-test-cases beside the repository, or null on a clone without it.</summary>
    public static string? SharedTestCases =>
        Path.Combine(Root, "..", "shared", "fhir-test-cases") is var p && Directory.Exists(p) ? Path.GetFullPath(p) : null;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirIntrathecal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FhirIntrathecal.sln not found above " + AppContext.BaseDirectory);
    }
}
