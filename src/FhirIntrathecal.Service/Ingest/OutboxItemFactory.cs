using System.Security.Cryptography;
using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// Turns resources into outbox items whose delivery can be repeated without a visible effect on the server:
/// a resource with a business identifier becomes a conditional create on it; one with an id an update of that id;
/// one with neither gets a content-hash tag and a conditional create on the tag. The content hash of the request
/// is the item's dedup key in the outbox.
/// </summary>
public static class OutboxItemFactory
{
    /// <summary>The tag system marking resources that had no identifier of their own.</summary>
    public const string ContentHashTagSystem = "urn:fhir-intrathecal:content-hash";

    public static NewOutboxItem ForResource(Resource resource, string source, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var type = resource.TypeInfo.Name;
        var (method, url, ifNoneExist) = Request(resource);
        return Item(OutboxItemKind.Entry, method, url, ifNoneExist, FhirJsonSerializer.SerializeToUtf8Bytes(resource), source, correlationId);
    }

    /// <summary>A transaction Bundle as one item. Plain POST entries get an idempotency tag so a replay creates nothing twice.</summary>
    public static NewOutboxItem ForTransaction(Bundle bundle, string source, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        foreach (var entry in bundle.Entry)
        {
            if (entry.Request is { } request && request.Method?.Value == "POST" && string.IsNullOrEmpty(request.IfNoneExist?.Value) && entry.Resource is { } r)
            {
                request.IfNoneExist = TagCondition(r);
            }
        }

        return Item(OutboxItemKind.Transaction, string.Empty, string.Empty, null, FhirJsonSerializer.SerializeToUtf8Bytes(bundle), source, correlationId);
    }

    /// <summary>A batch entry keeps its own request when it is already idempotent; a plain POST is made so.</summary>
    public static NewOutboxItem ForBatchEntry(Bundle.EntryComponent entry, string source, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var resource = entry.Resource ?? throw new ArgumentException("A batch entry without a resource cannot be pushed.", nameof(entry));
        var method = entry.Request?.Method?.Value;
        if (method == "PUT" && entry.Request!.Url?.Value is { Length: > 0 } putUrl)
        {
            return Item(OutboxItemKind.Entry, "PUT", putUrl, null, FhirJsonSerializer.SerializeToUtf8Bytes(resource), source, correlationId);
        }

        if (method == "POST" && entry.Request!.IfNoneExist?.Value is { Length: > 0 } condition)
        {
            return Item(OutboxItemKind.Entry, "POST", resource.TypeInfo.Name, condition, FhirJsonSerializer.SerializeToUtf8Bytes(resource), source, correlationId);
        }

        return ForResource(resource, source, correlationId);
    }

    private static (string Method, string Url, string? IfNoneExist) Request(Resource resource)
    {
        var type = resource.TypeInfo.Name;
        if (FirstIdentifier(resource) is { } identifier)
        {
            return ("POST", type, $"identifier={SearchValue(identifier.System!.Value!)}|{SearchValue(identifier.Value!.Value!)}");
        }

        if (!string.IsNullOrEmpty(resource.Id))
        {
            return ("PUT", $"{type}/{resource.Id}", null);
        }

        return ("POST", type, TagCondition(resource));
    }

    /// <summary>Adds the content-hash tag (hash of the resource as read) and returns the matching condition.</summary>
    private static string TagCondition(Resource resource)
    {
        var hash = Hash(FhirJsonSerializer.SerializeToUtf8Bytes(resource));
        resource.Meta ??= new Meta();
        if (!resource.Meta.Tag.Any(t => t.System?.Value == ContentHashTagSystem))
        {
            resource.Meta.Tag.Add(new Coding { System = ContentHashTagSystem, Code = hash });
        }

        return $"_tag={SearchValue(ContentHashTagSystem)}|{hash}";
    }

    private static Identifier? FirstIdentifier(Resource resource)
    {
        if (resource.TypeInfo.GetElement("identifier") is not { } element)
        {
            return null;
        }

        var value = resource.GetValue(element);
        var all = value switch
        {
            Identifier one => [one],
            IEnumerable<Identifier> many => many,
            _ => [],
        };
        return all.FirstOrDefault(i => !string.IsNullOrEmpty(i.System?.Value) && !string.IsNullOrEmpty(i.Value?.Value));
    }

    /// <summary>FHIR search escaping (\ , $ |) and then URL escaping, for a value inside a query string.</summary>
    internal static string SearchValue(string value) =>
        Uri.EscapeDataString(value.Replace("\\", "\\\\").Replace(",", "\\,").Replace("$", "\\$").Replace("|", "\\|"));

    private static NewOutboxItem Item(OutboxItemKind kind, string method, string url, string? ifNoneExist, byte[] payload, string source, string correlationId)
    {
        var header = Encoding.UTF8.GetBytes($"{(int)kind}\n{method}\n{url}\n{ifNoneExist}\n");
        var hash = Hash([.. header, .. payload]);
        return new NewOutboxItem(kind, method, url, ifNoneExist, payload, hash, source, correlationId);
    }

    internal static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
