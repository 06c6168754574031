using System.Net;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>A successful answer: the resource (absent with <c>return=minimal</c>) and the headers FHIR gives meaning to.</summary>
public sealed record FhirResponse<T>(
    HttpStatusCode Status,
    T? Resource,
    string? ETag,
    Uri? Location,
    DateTimeOffset? LastModified)
    where T : Resource
{
    /// <summary>The version id from the weak ETag (<c>W/"3"</c> → <c>3</c>), or from the resource's meta.</summary>
    public string? VersionId => ETagToVersion(ETag) ?? Resource?.Meta?.VersionId?.Value;

    /// <summary>The logical id from the resource, or from the Location header ([base]/Type/id/_history/vid).</summary>
    public string? Id => Resource?.Id ?? ResourceIdentity.TryParse(Location)?.Id;

    /// <summary>201: the interaction created a resource (a conditional create that matched answers 200).</summary>
    public bool Created => Status == HttpStatusCode.Created;

    internal static string? ETagToVersion(string? etag)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return null;
        }

        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return value.Trim('"');
    }
}

/// <summary>Type, id and version taken from a FHIR URL such as <c>http://x/fhir/Patient/1/_history/2</c>.</summary>
public sealed record ResourceIdentity(string Type, string Id, string? VersionId)
{
    public static ResourceIdentity? TryParse(Uri? uri) => uri is null ? null : TryParse(uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString);

    public static ResourceIdentity? TryParse(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var segments = path.Split('?')[0].Trim('/').Split('/');
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (ModelInfo.GetTypeInfo(segments[i]) is { IsResource: true } && segments[i + 1].Length > 0 && segments[i + 1][0] != '_' && segments[i + 1][0] != '$')
            {
                var version = i + 3 < segments.Length && segments[i + 2] == "_history" ? segments[i + 3] : null;
                return new ResourceIdentity(segments[i], segments[i + 1], version);
            }
        }

        return null;
    }

    public override string ToString() => VersionId is null ? $"{Type}/{Id}" : $"{Type}/{Id}/_history/{VersionId}";
}
