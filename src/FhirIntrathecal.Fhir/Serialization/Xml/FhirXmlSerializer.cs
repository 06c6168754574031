using System.Text;
using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// Writes the model as FHIR R4 XML: elements in definition order, primitives as <c>value</c> attributes in their
/// exact lexical form, <c>id</c>/<c>url</c> as attributes, the narrative div verbatim in the xhtml namespace, and no
/// empty elements.
/// </summary>
public static class FhirXmlSerializer
{
    /// <summary>Writes UTF-8 (no BOM) with an XML declaration.</summary>
    public static void Serialize(Base resource, Stream stream, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = XmlWriter.Create(stream, XmlNames.CreateWriterSettings(pretty, declaration: true));
        Serialize(resource, writer);
    }

    /// <summary>Writes without an XML declaration (the text writer's encoding is not ours to state).</summary>
    public static void Serialize(Base resource, TextWriter textWriter, bool pretty = false)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        using var writer = XmlWriter.Create(textWriter, XmlNames.CreateWriterSettings(pretty, declaration: false));
        Serialize(resource, writer);
    }

    /// <summary>Writes the resource (or datatype) as one element to an existing writer, which is left open.</summary>
    public static void Serialize(Base resource, XmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(writer);
        XmlResourceWriter.WriteRoot(writer, resource);
        writer.Flush();
    }

    public static string SerializeToString(Base resource, bool pretty = false)
    {
        var sb = new StringBuilder(4096);
        using (var sw = new StringWriter(sb, System.Globalization.CultureInfo.InvariantCulture))
        {
            Serialize(resource, sw, pretty);
        }

        return sb.ToString();
    }

    public static byte[] SerializeToUtf8Bytes(Base resource, bool pretty = false)
    {
        using var ms = new MemoryStream();
        Serialize(resource, ms, pretty);
        return ms.ToArray();
    }
}
