using System.Security.Cryptography;
using System.Text;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>Name-based UUIDs (RFC 9562 version 8: SHA-256 of the name), so the same business identifier always gets the same urn:uuid.</summary>
internal static class StableIds
{
    public static string Uuid(string kind, string businessId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"fhirintrathecal|{kind}|{businessId}"));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16)).Insert(20, "-").Insert(16, "-").Insert(12, "-").Insert(8, "-");
    }
}
