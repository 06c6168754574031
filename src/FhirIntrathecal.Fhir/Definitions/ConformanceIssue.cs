using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Definitions;

/// <summary>
/// A problem met while loading conformance resources: where (the file, or <c>package.tgz!package/x.json</c> inside a
/// package, with 1-based line/column when known, 0 otherwise), a stable code from <see cref="ConformanceCodes"/> and a message.
/// </summary>
public sealed record ConformanceIssue(IssueSeverity Severity, string Code, string Message, string Source, long Line = 0, long Column = 0)
{
    public override string ToString() =>
        $"{Source}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()} {Code}: {Message}";
}

/// <summary>
/// Stable codes of conformance-loading issues; each fixes its severity. Part of the public contract: never rename or reuse one.
/// </summary>
public static class ConformanceCodes
{
    /// <summary>Error: the path given is neither a file nor a folder.</summary>
    public const string NotFound = "CONF_NOT_FOUND";

    /// <summary>Error: the file could not be read (I/O, permissions) or exceeds the size limit.</summary>
    public const string Unreadable = "CONF_UNREADABLE";

    /// <summary>Error: the content is not a FHIR resource we can read (syntax, unknown resource type...); the parse code follows in the message.</summary>
    public const string Parse = "CONF_PARSE";

    /// <summary>Error: a file named explicitly holds no conformance (canonical) resource.</summary>
    public const string NoConformanceResource = "CONF_NO_CONFORMANCE_RESOURCE";

    /// <summary>Warning: a file found in a folder or package holds no conformance resource (an example, say) and is skipped.</summary>
    public const string SkippedNonConformance = "CONF_SKIPPED";

    /// <summary>Warning: a package's package.json could not be read, so its dependencies are not used.</summary>
    public const string PackageManifest = "CONF_PACKAGE_MANIFEST";

    /// <summary>Error: a package archive (.tgz) is damaged or holds an entry outside the limits.</summary>
    public const string Package = "CONF_PACKAGE";

    /// <summary>Warning: a StructureDefinition's snapshot could not be generated completely (an unknown base, an unmatched differential element).</summary>
    public const string Snapshot = "CONF_SNAPSHOT";
}
