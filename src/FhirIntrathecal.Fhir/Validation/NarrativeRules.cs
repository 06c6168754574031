using System.Xml;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// txt-1 and txt-2 natively (their FHIRPath uses htmlChecks(), which is not a real function): the div is well-formed
/// XHTML, uses only the basic formatting elements, has no scripts, event handlers, forms or external styles, and has
/// some content.
/// </summary>
internal static class NarrativeRules
{
    private const string XhtmlNs = "http://www.w3.org/1999/xhtml";

    private static readonly HashSet<string> AllowedElements = new(StringComparer.Ordinal)
    {
        "a", "abbr", "acronym", "b", "big", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "dfn", "div",
        "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "samp", "small",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var", "s", "u", "strike",
        "del", "ins", "address", "bdo", "kbd", "center", "font", "map", "area", "label", "figure", "figcaption", "section", "article",
        "header", "footer", "nav", "aside", "main", "mark", "time", "wbr", "summary", "details",
    };

    public static void Validate(string xhtml, in Scope scope)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        var hasContent = false;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xhtml), settings);
            var first = true;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (first && (reader.LocalName != "div" || reader.NamespaceURI != XhtmlNs))
                        {
                            scope.Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.NarrativeInvalid,
                                "The narrative must be a <div> in the XHTML namespace (http://www.w3.org/1999/xhtml).");
                        }

                        first = false;
                        CheckElement(reader, scope);
                        if (reader.LocalName == "img")
                        {
                            hasContent = true;
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        hasContent |= !string.IsNullOrWhiteSpace(reader.Value);
                        break;
                    case XmlNodeType.EntityReference:
                        hasContent = true;
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Invalid, MessageIds.NarrativeInvalid, $"The narrative is not well-formed XHTML: {e.Message}");
            return;
        }

        if (!hasContent)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Invariant, MessageIds.NarrativeInvalid,
                "Constraint failed: txt-2: The narrative SHALL have some non-whitespace content.");
        }
    }

    private static void CheckElement(XmlReader reader, in Scope scope)
    {
        var name = reader.LocalName;
        if (!AllowedElements.Contains(name))
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Security, MessageIds.NarrativeUnsafe,
                $"Constraint failed: txt-1: <{name}> is not allowed in a narrative (only basic html formatting elements).");
        }

        if (!reader.HasAttributes)
        {
            return;
        }

        while (reader.MoveToNextAttribute())
        {
            var attr = reader.LocalName;
            var value = reader.Value;
            if (attr.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            {
                scope.Report(IssueSeverity.Error, IssueTypes.Security, MessageIds.NarrativeUnsafe,
                    $"Constraint failed: txt-1: the event attribute '{attr}' is not allowed in a narrative.");
            }
            else if ((attr is "href" or "src") && value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                scope.Report(IssueSeverity.Error, IssueTypes.Security, MessageIds.NarrativeUnsafe,
                    $"Constraint failed: txt-1: a javascript: URL in '{attr}' is not allowed in a narrative.");
            }
            else if (attr == "style" && (ExternalUrl(value) || value.Contains("@import", StringComparison.OrdinalIgnoreCase)
                || value.Contains("expression(", StringComparison.OrdinalIgnoreCase)))
            {
                scope.Report(IssueSeverity.Error, IssueTypes.Security, MessageIds.NarrativeUnsafe,
                    "Constraint failed: txt-1: styles may not load external content (absolute url(), @import, expression()).");
            }
        }

        reader.MoveToElement();
    }

    /// <summary>url(...) pointing off the page (http:, https:, //, javascript:); relative images of the page itself are fine.</summary>
    private static bool ExternalUrl(string style)
    {
        var i = style.IndexOf("url(", StringComparison.OrdinalIgnoreCase);
        while (i >= 0)
        {
            var target = style[(i + 4)..].TrimStart(' ', '\'', '"');
            if (target.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
                || target.StartsWith("//", StringComparison.Ordinal) || target.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            i = style.IndexOf("url(", i + 4, StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
