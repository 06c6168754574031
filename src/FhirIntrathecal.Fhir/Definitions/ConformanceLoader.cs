using System.Formats.Tar;
using System.IO.Compression;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Fhir.Serialization.Xml;
using FhirIntrathecal.Fhir.Snapshot;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>Limits of <see cref="ConformanceLoader"/>; every file and archive it reads is bounded by them.</summary>
public sealed record ConformanceLoaderOptions
{
    /// <summary>Largest single file (or package entry) read, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most entries read from one package archive or folder.</summary>
    public int MaxEntries { get; init; } = 100_000;
}

/// <summary>What <see cref="ConformanceLoader.Load"/> produced: a resolver over everything loaded (plus R4 core and terminology) and the issues met.</summary>
public sealed class ConformanceSet
{
    internal ConformanceSet(CanonicalResolver resolver, IReadOnlyList<Resource> resources, IReadOnlyList<ConformanceIssue> issues)
    {
        Resolver = resolver;
        Resources = resources;
        Issues = issues;
    }

    public CanonicalResolver Resolver { get; }

    /// <summary>The conformance resources loaded in memory (files, folders without index, archives), snapshots generated.</summary>
    public IReadOnlyList<Resource> Resources { get; }

    public IReadOnlyList<ConformanceIssue> Issues { get; }

    public bool HasErrors => Issues.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
}

/// <summary>
/// Loads conformance resources for validation (<c>--ig</c>): single files (JSON, XML, NDJSON, Bundles of conformance
/// resources), folders (an indexed FHIR package folder is read lazily, any other folder's files are loaded), and FHIR
/// package archives (<c>.tgz</c>, read in memory, never extracted). Every canonical resource type (anything with a
/// <c>url</c>: StructureDefinition, ValueSet, CodeSystem, Questionnaire, SearchParameter, Measure...) is registered. What
/// cannot be read is a located <see cref="ConformanceIssue"/>, and the rest still loads. StructureDefinitions without a
/// snapshot get one generated.
/// </summary>
public static class ConformanceLoader
{
    public static ConformanceSet Load(IEnumerable<string> sources, PackageCache? cache = null, IEnumerable<Resource>? extra = null, ConformanceLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        cache ??= new PackageCache();
        var state = new LoadState(options ?? new ConformanceLoaderOptions(), cache);
        foreach (var resource in extra ?? [])
        {
            state.Resources.Add((resource, "(given)"));
        }

        var firstLoaded = state.Resources.Count;
        foreach (var source in sources)
        {
            state.LoadSource(source);
        }

        state.Folders.Add(cache.RequirePackageFolder(PackageManifest.R4Core));
        state.Folders.Add(cache.RequirePackageFolder(PackageManifest.Terminology));
        var resolver = new CanonicalResolver(state.Folders, state.Resources.Select(r => r.Resource));
        if (state.GenerateSnapshots(resolver, firstLoaded))
        {
            resolver = new CanonicalResolver(state.Folders, state.Resources.Select(r => r.Resource));
        }

        return new ConformanceSet(resolver, state.Resources.Select(r => r.Resource).ToList(), state.Issues);
    }

    /// <summary>True for a canonical resource type: one with a <c>url</c> element (StructureDefinition, ValueSet, Questionnaire, Measure...), and NamingSystem.</summary>
    public static bool IsConformanceResource(Resource resource) => resource is NamingSystem || resource.TypeInfo.GetElement("url") is not null;

    private sealed class LoadState(ConformanceLoaderOptions options, PackageCache cache)
    {
        public List<(Resource Resource, string Source)> Resources { get; } = [];

        public List<string> Folders { get; } = [];

        public List<ConformanceIssue> Issues { get; } = [];

        public void LoadSource(string source)
        {
            if (Directory.Exists(source))
            {
                LoadFolder(source);
            }
            else if (IsArchive(source))
            {
                ReadBytes(source, bytes => LoadArchive(source, bytes));
            }
            else if (File.Exists(source))
            {
                ReadBytes(source, bytes => LoadContent(source, bytes, explicitFile: true));
            }
            else
            {
                Issues.Add(new(IssueSeverity.Error, ConformanceCodes.NotFound, "No such file or folder.", source));
            }
        }

        private void LoadFolder(string folder)
        {
            var package = Directory.Exists(Path.Combine(folder, "package")) ? Path.Combine(folder, "package") : folder;
            AddDependencies(package);
            if (File.Exists(Path.Combine(package, ".index.json")))
            {
                Folders.Add(package); // read lazily through its index; we never write into the user's folder
                return;
            }

            var files = Directory.EnumerateFiles(package, "*", SearchOption.TopDirectoryOnly)
                .Where(f => IsResourceFile(Path.GetFileName(f)) || IsArchive(f)).Order(StringComparer.Ordinal).Take(options.MaxEntries);
            foreach (var file in files)
            {
                if (IsArchive(file))
                {
                    ReadBytes(file, bytes => LoadArchive(file, bytes));
                }
                else
                {
                    ReadBytes(file, bytes => LoadContent(file, bytes, explicitFile: false));
                }
            }
        }

        private void LoadArchive(string archive, byte[] bytes)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var reader = new TarReader(gzip);
                var count = 0;
                while (reader.GetNextEntry() is { } entry && count++ < options.MaxEntries)
                {
                    var name = entry.Name.Replace('\\', '/');
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !name.StartsWith("package/", StringComparison.Ordinal)
                        || name.IndexOf('/', "package/".Length) >= 0 || !IsResourceFile(name["package/".Length..]))
                    {
                        continue;
                    }

                    var where = $"{archive}!{name}";
                    if (entry.Length > options.MaxFileBytes || entry.DataStream is null)
                    {
                        Issues.Add(new(IssueSeverity.Error, ConformanceCodes.Package, $"Entry larger than {options.MaxFileBytes} bytes or without content; skipped.", where));
                        continue;
                    }

                    using var content = new MemoryStream((int)entry.Length);
                    entry.DataStream.CopyTo(content);
                    LoadContent(where, content.ToArray(), explicitFile: false);
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                Issues.Add(new(IssueSeverity.Error, ConformanceCodes.Package, $"Not a readable FHIR package archive: {e.Message}", archive));
            }
        }

        /// <summary>Parses one file's content (JSON, XML or NDJSON) and keeps its conformance resources.</summary>
        private void LoadContent(string source, byte[] bytes, bool explicitFile)
        {
            var found = 0;
            if (source.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var record in Ndjson.ReadAsync(new MemoryStream(bytes), ParserOptions.Lenient).ToBlockingEnumerable())
                {
                    found += Keep(source, record.Result, record.LineNumber);
                }
            }
            else
            {
                found = Keep(source, LooksLikeXml(bytes) ? FhirXmlParser.Parse(bytes, ParserOptions.Lenient) : FhirJsonParser.Parse(bytes, ParserOptions.Lenient), 0);
            }

            if (found == 0 && !Issues.Any(i => i.Source == source && i.Code == ConformanceCodes.Parse))
            {
                Issues.Add(explicitFile
                    ? new(IssueSeverity.Error, ConformanceCodes.NoConformanceResource,
                        "The file holds no conformance resource (StructureDefinition, ValueSet, CodeSystem, Questionnaire, ...); nothing was loaded from it.", source, 1, 1)
                    : new(IssueSeverity.Warning, ConformanceCodes.SkippedNonConformance, "Not a conformance resource; skipped.", source, 1, 1));
            }
        }

        /// <summary>Keeps the conformance resources of one parse (a Bundle's entries too); parse errors become issues. Returns how many were kept.</summary>
        private int Keep(string source, ParseResult<Resource> parsed, long ndjsonLine)
        {
            foreach (var issue in parsed.Issues.Where(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal))
            {
                var line = ndjsonLine > 0 ? ndjsonLine : issue.Line;
                var column = ndjsonLine > 0 && issue.Line > 1 ? 0 : issue.Column;
                Issues.Add(new(IssueSeverity.Error, ConformanceCodes.Parse, $"{issue.Code} at {issue.Location}: {issue.Message}", source, line, column));
            }

            var candidates = parsed.Value is Bundle bundle
                ? bundle.Entry.Select(e => e.Resource).OfType<Resource>()
                : parsed.Value is { } single ? [single] : [];
            var kept = 0;
            foreach (var resource in candidates.Where(IsConformanceResource))
            {
                Resources.Add((resource, source));
                kept++;
            }

            return kept;
        }

        /// <summary>Packages a package depends on (its package.json) are used when they are in the package cache.</summary>
        private void AddDependencies(string packageFolder)
        {
            var manifest = Path.Combine(packageFolder, "package.json");
            if (!File.Exists(manifest))
            {
                return;
            }

            IReadOnlyList<PackageReference> dependencies;
            try
            {
                dependencies = PackageDependencies.Read(File.ReadAllBytes(manifest));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
            {
                Issues.Add(new(IssueSeverity.Warning, ConformanceCodes.PackageManifest, $"package.json not read, its dependencies are not used: {e.Message}", manifest));
                return;
            }

            foreach (var dependency in dependencies)
            {
                if (dependency.Name != PackageManifest.R4Core.Name && cache.IsInstalled(dependency) && !Folders.Contains(cache.PackageFolder(dependency)))
                {
                    Folders.Add(cache.PackageFolder(dependency));
                }
            }
        }

        /// <summary>Generates the missing snapshots of the loaded StructureDefinitions (not of the caller's extra ones); true when any was generated.</summary>
        public bool GenerateSnapshots(ICanonicalResolver resolver, int firstLoaded)
        {
            var generator = new SnapshotGenerator(resolver);
            var any = false;
            for (var i = firstLoaded; i < Resources.Count; i++)
            {
                if (Resources[i].Resource is StructureDefinition { Snapshot: null or { Element.Count: 0 } } sd)
                {
                    var result = generator.GenerateWithProblems(sd);
                    Resources[i] = (result.StructureDefinition, Resources[i].Source);
                    Issues.AddRange(result.Problems.Select(p => new ConformanceIssue(IssueSeverity.Warning, ConformanceCodes.Snapshot, $"{sd.Url?.Value}: {p}", Resources[i].Source)));
                    any = true;
                }
            }

            return any;
        }

        private void ReadBytes(string file, Action<byte[]> load)
        {
            try
            {
                var length = new FileInfo(file).Length;
                if (length > options.MaxFileBytes)
                {
                    Issues.Add(new(IssueSeverity.Error, ConformanceCodes.Unreadable, $"File larger than {options.MaxFileBytes} bytes; not read.", file));
                    return;
                }

                load(File.ReadAllBytes(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Issues.Add(new(IssueSeverity.Error, ConformanceCodes.Unreadable, e.Message, file));
            }
        }
    }

    private static bool IsArchive(string path) =>
        path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase);

    private static bool IsResourceFile(string name) =>
        name is not ("package.json" or ".index.json") && !name.StartsWith('.')
        && (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase));

    private static bool LooksLikeXml(byte[] bytes)
    {
        foreach (var b in bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0))
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b == (byte)'<';
            }
        }

        return false;
    }
}
