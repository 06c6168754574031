using FhirIntrathecal.ModelGen;

// Usage: ModelGen <package folder with StructureDefinition-*.json> <output folder>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ModelGen <fhir-package-folder> <output-folder>");
    return 2;
}

var model = SpecReader.Read(args[0]);
var files = CodeEmitter.Emit(model);
Directory.CreateDirectory(args[1]);
foreach (var stale in Directory.GetFiles(args[1], "*.g.cs"))
{
    if (!files.ContainsKey(Path.GetFileName(stale)))
    {
        File.Delete(stale);
    }
}

foreach (var (name, text) in files)
{
    File.WriteAllText(Path.Combine(args[1], name), text);
}

Console.WriteLine($"Generated {files.Count} files ({model.Types.Count} types) into {args[1]}");
return 0;
