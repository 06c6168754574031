using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>Walks an instance through its metadata and writes FHIR XML; no per-type code.</summary>
internal static class XmlResourceWriter
{
    // Choice names (valueQuantity) built once per element and type instead of on every write.
    private static readonly ConcurrentDictionary<(ElementInfo, FhirTypeInfo), string> ChoiceNames = new();

    public static void WriteRoot(XmlWriter writer, Base root)
    {
        if (root.TypeInfo.Kind == TypeKind.Component)
        {
            throw new ArgumentException($"A backbone component ({root.TypeInfo.Name}) has no XML element name of its own; serialize its resource.", nameof(root));
        }

        writer.WriteStartElement(root.TypeInfo.Name, XmlNames.FhirNamespace);
        WriteContent(writer, root);
        writer.WriteEndElement();
    }

    private static void WriteContent(XmlWriter writer, Base instance)
    {
        var elements = instance.TypeInfo.Elements;
        // Attributes (id, url, value) must precede child elements.
        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            if (e.Representation == XmlRepresentation.Attribute && instance.GetValue(e) is { } v)
            {
                writer.WriteAttributeString(e.Name, Lexical(v));
            }
        }

        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            switch (Value(instance, e))
            {
                case null:
                    break;
                case var bare when e.HoldsBareValue:
                    WriteElement(writer, e, bare);  // a bare value (a byte[] of UTF-8 is no list), or its primitive
                    break;
                case IList list when e.Representation != XmlRepresentation.Attribute:
                    for (var j = 0; j < list.Count; j++)
                    {
                        if (list[j] is { } item)
                        {
                            WriteElement(writer, e, item);
                        }
                    }

                    break;
                case var value when e.Representation != XmlRepresentation.Attribute:
                    WriteElement(writer, e, value);
                    break;
            }
        }
    }

    private static void WriteElement(XmlWriter writer, ElementInfo element, object value)
    {
        switch (value)
        {
            case XHtml xhtml when element.Representation == XmlRepresentation.Xhtml:
                if (xhtml.Value is { } markup)
                {
                    XhtmlWriter.Write(writer, markup);
                }

                return;
            case Resource resource when element.IsResource:
                writer.WriteStartElement(element.Name, XmlNames.FhirNamespace);
                WriteRoot(writer, resource);
                writer.WriteEndElement();
                return;
            case Base b:
                if (!HasContent(b))
                {
                    return;
                }

                var name = element.IsChoice ? ChoiceNames.GetOrAdd((element, b.TypeInfo), static k => k.Item1.Name + k.Item2.ChoiceSuffix) : element.Name;
                writer.WriteStartElement(name, XmlNames.FhirNamespace);
                WriteContent(writer, b);
                writer.WriteEndElement();
                return;
            default:
                // A system value held as an element: Resource.id.
                writer.WriteStartElement(element.Name, XmlNames.FhirNamespace);
                writer.WriteAttributeString("value", Lexical(value));
                writer.WriteEndElement();
                return;
        }
    }

    /// <summary>
    /// Whether anything would be written: an element holding only empty elements (an Identifier with an empty Period)
    /// must not become an empty XML element. Stops at the first value, so the usual case costs one or two slots.
    /// </summary>
    private static bool HasContent(Base instance)
    {
        var elements = instance.TypeInfo.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            switch (Value(instance, elements[i]))
            {
                case null:
                    break;
                case Base b when b is Resource || HasContent(b):
                    return true;
                case Base:
                    break;
                case byte[]:
                    return true;  // a bare value's UTF-8, not a list
                case IList list:
                    foreach (var item in list)
                    {
                        if (item is Base lb ? lb is Resource || HasContent(lb) : item is not null)
                        {
                            return true;
                        }
                    }

                    break;
                default:
                    return true;
            }
        }

        return false;
    }

    /// <summary>An element's value; a bare primitive value as it is (written as that primitive would be, without making it).</summary>
    private static object? Value(Base instance, ElementInfo element) =>
        element.HoldsBareValue ? instance.PeekValue(element) : instance.GetValue(element);

    private static string Lexical(object value) =>
        value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : PrimitiveType.LexicalOf(value) ?? string.Empty;
}
