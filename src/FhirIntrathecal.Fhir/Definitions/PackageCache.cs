namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>
/// The standard FHIR package cache: <c>~/.fhir/packages/&lt;name&gt;#&lt;version&gt;/package/</c>, shared with SUSHI
/// and the HL7 tools. Overridable with <c>FHIR_PACKAGE_CACHE</c> or an explicit root.
/// </summary>
public sealed class PackageCache
{
    public const string EnvironmentVariable = "FHIR_PACKAGE_CACHE";

    public PackageCache(string? root = null)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        Root = Path.GetFullPath(root
            ?? (string.IsNullOrEmpty(env) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhir", "packages") : env));
    }

    public string Root { get; }

    /// <summary>The folder holding the package's resources (<c>…/name#version/package</c>).</summary>
    public string PackageFolder(PackageReference package) => Path.Combine(Root, package.CacheKey, "package");

    /// <summary>True when the package is in the cache with its index.</summary>
    public bool IsInstalled(PackageReference package) => File.Exists(Path.Combine(PackageFolder(package), ".index.json"));

    /// <summary>Throws a clear message when a package has not been restored.</summary>
    public string RequirePackageFolder(PackageReference package) => IsInstalled(package)
        ? PackageFolder(package)
        : throw new DirectoryNotFoundException(
            $"FHIR package {package} is not in the package cache at {Root}. Run 'fhir-intrathecal packages restore' (or ./test.sh, which does it).");
}
