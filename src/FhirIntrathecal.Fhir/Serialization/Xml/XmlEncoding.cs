using System.Text;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>Decides from the first bytes whether an XML document is UTF-8 (the FHIR norm) so it can be decoded up front.</summary>
internal static class XmlEncoding
{
    public static bool IsUtf8(ReadOnlySpan<byte> xml)
    {
        if (xml.StartsWith("\uFEFF"u8))
        {
            return true;
        }

        // UTF-16/32 byte order marks, or UTF-16 without one (a NUL next to the first '<').
        if (xml.Length >= 2 && (xml[0] is 0xFE or 0xFF or 0x00 || xml[1] == 0x00))
        {
            return false;
        }

        if (!xml.StartsWith("<?xml"u8))
        {
            return true;
        }

        var end = xml.IndexOf("?>"u8);
        var declaration = Encoding.ASCII.GetString(end < 0 ? xml[..Math.Min(xml.Length, 256)] : xml[..end]);
        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return true;
        }

        var rest = declaration[(at + "encoding".Length)..].TrimStart().TrimStart('=').TrimStart();
        if (rest.Length == 0 || rest[0] is not ('"' or '\''))
        {
            return true;  // malformed: XmlReader reports it
        }

        var close = rest.IndexOf(rest[0], 1);
        var name = close < 0 ? rest[1..] : rest[1..close];
        return name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);
    }
}
