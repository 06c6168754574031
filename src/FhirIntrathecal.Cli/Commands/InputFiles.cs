namespace FhirIntrathecal.Cli.Commands;

/// <summary>Expands file and directory arguments into FHIR files, keeping each one's path relative to the argument.</summary>
internal static class InputFiles
{
    private static readonly string[] Extensions = [".json", ".xml", ".ndjson"];

    public static IEnumerable<(string Path, string Relative)> Expand(IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                foreach (var file in Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)
                        && Path.GetFileName(file) is not ("package.json" or ".index.json"))
                    {
                        yield return (file, Path.GetRelativePath(argument, file));
                    }
                }
            }
            else
            {
                yield return (argument, Path.GetFileName(argument));
            }
        }
    }
}
