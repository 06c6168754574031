using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>Finds conformance resources (StructureDefinition, ValueSet, CodeSystem...) by canonical URL.</summary>
public interface ICanonicalResolver
{
    /// <summary>Resolves <c>url</c> or <c>url|version</c>; null when unknown.</summary>
    Resource? ResolveCanonical(string canonical);
}

/// <summary>
/// Resolves canonical resources from FHIR package folders and in-memory resources. Only the packages'
/// <c>.index.json</c> files are read up front; a resource is parsed the first time it is asked for and then cached,
/// so start-up never parses the ~200 MB of the core definitions. Immutable once built and safe for concurrent use.
/// </summary>
public sealed class CanonicalResolver : ICanonicalResolver
{
    private readonly Dictionary<string, List<Candidate>> _byUrl = new(StringComparer.Ordinal);
    private readonly List<(string Folder, PackageIndexEntry Entry)> _entries = [];
    private readonly ConcurrentDictionary<string, Resource?> _parsed = new(StringComparer.Ordinal);

    /// <param name="packageFolders">Package folders (…/name#version/package), earlier ones win on equal url|version.</param>
    /// <param name="resources">Extra resources (an IG's own profiles, a generated snapshot); they win over packages.</param>
    public CanonicalResolver(IEnumerable<string> packageFolders, IEnumerable<Resource>? resources = null)
    {
        foreach (var resource in resources ?? [])
        {
            if (CanonicalOf(resource) is ({ } url, var version))
            {
                Add(url, new Candidate(version, null, resource));
            }
            else if (resource is NamingSystem ns)
            {
                // R4 NamingSystem has no url: it is found by its unique ids of type uri.
                foreach (var uri in ns.UniqueId.Where(u => u.Type?.Value == "uri").Select(u => u.Value?.Value).OfType<string>())
                {
                    Add(uri, new Candidate(null, null, resource));
                }
            }
        }

        foreach (var folder in packageFolders)
        {
            var entries = File.Exists(Path.Combine(folder, ".index.json")) ? PackageIndex.Read(folder) : IndexOnTheFly(folder);
            foreach (var entry in entries)
            {
                _entries.Add((folder, entry));
                if (entry.Url is { } url)
                {
                    Add(url, new Candidate(entry.Version, Path.Combine(folder, entry.Filename), null));
                }
            }
        }
    }

    /// <summary>The R4 core definitions plus HL7 terminology, from the package cache (restore them first).</summary>
    public static CanonicalResolver CreateDefault(PackageCache? cache = null, IEnumerable<Resource>? extra = null)
    {
        cache ??= new PackageCache();
        return new CanonicalResolver(
            [cache.RequirePackageFolder(PackageManifest.R4Core), cache.RequirePackageFolder(PackageManifest.Terminology)], extra);
    }

    /// <summary>Index entries of every package resource (for listing, e.g. all StructureDefinitions).</summary>
    public IEnumerable<PackageIndexEntry> Entries => _entries.Select(e => e.Entry);

    public Resource? ResolveCanonical(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);
        var url = bar < 0 ? canonical : canonical[..bar];
        var version = bar < 0 ? null : canonical[(bar + 1)..];
        if (!_byUrl.TryGetValue(url, out var candidates))
        {
            return null;
        }

        var pick = version is null ? candidates[0] : candidates.FirstOrDefault(c => c.Version == version);
        return pick is null ? null : pick.Resource ?? Load(pick.File!);
    }

    public T? Resolve<T>(string canonical)
        where T : Resource => ResolveCanonical(canonical) as T;

    /// <summary>Loads a package resource by type and id (e.g. StructureDefinition/Patient).</summary>
    public Resource? ResolveById(string resourceType, string id)
    {
        foreach (var (folder, entry) in _entries)
        {
            if (entry.ResourceType == resourceType && entry.Id == id)
            {
                return Load(Path.Combine(folder, entry.Filename));
            }
        }

        return null;
    }

    private Resource? Load(string file) => _parsed.GetOrAdd(file, static f =>
    {
        var result = FhirJsonParser.Parse(File.ReadAllBytes(f), ParserOptions.Lenient);
        return result.Value;
    });

    private void Add(string url, Candidate candidate)
    {
        if (!_byUrl.TryGetValue(url, out var list))
        {
            _byUrl[url] = list = [];
        }

        list.Add(candidate);
    }

    private static IEnumerable<PackageIndexEntry> IndexOnTheFly(string folder)
    {
        PackageIndex.Write(folder);
        return PackageIndex.Read(folder);
    }

    /// <summary>A resource's canonical <c>url</c> and <c>version</c> (nulls for a type without them).</summary>
    public static (string? Url, string? Version) CanonicalOf(Resource resource)
    {
        var type = resource.TypeInfo;
        var url = type.GetElement("url") is { } u ? (resource.GetValue(u) as PrimitiveType)?.ObjectValue as string : null;
        var version = type.GetElement("version") is { } v ? (resource.GetValue(v) as PrimitiveType)?.ObjectValue as string : null;
        return (url, version);
    }

    private sealed record Candidate(string? Version, string? File, Resource? Resource);
}
