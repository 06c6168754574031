using System.Collections;
using System.Xml;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// One parse of one FHIR XML document, driven entirely by the model metadata (no per-type code). Issues are collected,
/// not thrown: the reader reports, skips what it cannot use, and carries on, so the partial result survives.
/// Invariant of every Read* method: it starts on an element's start tag and returns with the reader on that element's
/// last node (its end tag, or the start tag itself when empty).
/// </summary>
internal sealed partial class XmlResourceReader
{
    private readonly XmlReader _reader;
    private readonly IXmlLineInfo? _lineInfo;
    private readonly ParserOptions _options;
    private readonly List<ParseIssue> _issues = [];
    private readonly LocationPath _location = new();
    // Namespace URIs atomized in the reader's name table, so a reference comparison suffices.
    private readonly string _fhirNs;
    private readonly string _xhtmlNs;
    private readonly string _xmlnsNs;
    private readonly string _xsiNs;

    private readonly SourceText? _source;
    private readonly PositionMap? _positions;

    private XmlResourceReader(XmlReader reader, NameTable nameTable, ParserOptions options, SourceText? source, PositionMap? positions)
    {
        _source = source;
        _positions = positions;
        _reader = reader;
        _lineInfo = reader as IXmlLineInfo;
        _options = options;
        _fhirNs = nameTable.Add(XmlNames.FhirNamespace);
        _xhtmlNs = nameTable.Add(XmlNames.XhtmlNamespace);
        _xmlnsNs = nameTable.Add(XmlNames.XmlnsNamespace);
        _xsiNs = nameTable.Add(XmlNames.XsiNamespace);
    }

    /// <summary>Reads one resource document; never throws for bad input.</summary>
    /// <param name="source">The document text when the caller has it (lets the narrative div be taken verbatim).</param>
    /// <param name="positions">When given, receives the line/column of each model node's start tag.</param>
    public static ParseResult<Resource> Read(Func<XmlReaderSettings, XmlReader> open, ParserOptions? options, SourceText? source, PositionMap? positions = null)
    {
        var nameTable = new NameTable();
        var settings = XmlNames.CreateReaderSettings(nameTable);
        using var reader = open(settings);
        var parser = new XmlResourceReader(reader, nameTable, options ?? ParserOptions.Strict, source, positions);
        var resource = parser.ReadDocument();
        return new ParseResult<Resource>(resource, parser._issues);
    }

    private Resource? ReadDocument()
    {
        Resource? root = null;
        try
        {
            while (_reader.Read())
            {
                switch (_reader.NodeType)
                {
                    case XmlNodeType.Element:
                        // A second root element is not well-formed: XmlReader throws for it.
                        root = ReadRoot(r => root = r);
                        break;
                    case XmlNodeType.ProcessingInstruction:
                        Report(IssueSeverity.Warning, ParseCodes.Forbidden, $"Processing instruction '{_reader.Name}' ignored.");
                        break;
                }
            }

            if (root is null && _issues.Count == 0)
            {
                Report(IssueSeverity.Fatal, ParseCodes.ResourceType, "The document has no root element.");
            }
        }
        catch (XmlException ex)
        {
            // DTDs are prohibited: that is how DOCTYPE, external entities (XXE) and entity bombs end up here.
            var code = ex.Message.Contains("DTD", StringComparison.Ordinal) ? ParseCodes.Forbidden : ParseCodes.Syntax;
            // Some XmlExceptions (the DTD one) carry no position: the reader's own is then the best there is.
            var (line, column) = ex.LineNumber > 0 ? (ex.LineNumber, ex.LinePosition) : CurrentLine();
            if (line == 0 && code == ParseCodes.Forbidden && _source is not null)
            {
                (line, column) = _source.Position(_source.IndexOf("<!DOCTYPE"));
            }

            _issues.Add(new ParseIssue(IssueSeverity.Fatal, code, ex.Message, LocationOrRoot(root), line, column));
        }

        return root;
    }

    /// <summary>Reads the root element; <paramref name="created"/> hands out the instance early so an exception keeps it.</summary>
    private Resource? ReadRoot(Action<Resource> created)
    {
        if (!ReferenceEquals(_reader.NamespaceURI, _fhirNs))
        {
            Report(IssueSeverity.Fatal, ParseCodes.Namespace,
                $"The root element '{_reader.LocalName}' must be in the FHIR namespace '{XmlNames.FhirNamespace}', not '{_reader.NamespaceURI}'.");
            SkipElement();
            return null;
        }

        var type = ModelInfo.GetResourceType(_reader.LocalName);
        if (type is null)
        {
            Report(IssueSeverity.Fatal, ParseCodes.ResourceType, $"'{_reader.LocalName}' is not an R4 resource type.");
            SkipElement();
            return null;
        }

        var resource = (Resource)type.CreateInstance();
        created(resource);
        RecordPosition(resource, CurrentLine());
        _location.Push(type.Name);
        ReadAttributes(resource, type);
        ReadChildren(resource, type);
        _location.Pop();
        return resource;
    }

    private bool ReadAttributes(Base target, FhirTypeInfo type)
    {
        var sawValue = false;
        if (!_reader.MoveToFirstAttribute())
        {
            return false;
        }

        do
        {
            var ns = _reader.NamespaceURI;
            if (ReferenceEquals(ns, _xmlnsNs) || ReferenceEquals(ns, _xsiNs))
            {
                continue;
            }

            var name = _reader.LocalName;
            if (ns.Length > 0 || !type.TryGetByJsonName(name, out var element, out _) || element.Representation != XmlRepresentation.Attribute)
            {
                Unknown($"Unknown attribute '{_reader.Name}' on {type.Name}.", _location.With("@" + _reader.Name));
                continue;
            }

            var text = _reader.Value;
            if (type.IsPrimitive && element.Name == "value")
            {
                sawValue = true;
                var value = PrimitiveValues.Convert(type, text, _options.ValidatePrimitives, out var error, out var warning);
                if (error is not null)
                {
                    Report(IssueSeverity.Error, text.Length == 0 ? ParseCodes.Empty : ParseCodes.InvalidValue, error);
                }
                else if (warning is not null)
                {
                    Report(IssueSeverity.Warning, ParseCodes.InvalidValue, warning);
                }

                target.SetValue(element, value);
            }
            else if (text.Length == 0)
            {
                Report(IssueSeverity.Error, ParseCodes.Empty, $"The '{name}' attribute must not be empty.", _location.With(name));
            }
            else
            {
                target.SetValue(element, text);
            }
        }
        while (_reader.MoveToNextAttribute());

        _reader.MoveToElement();
        return sawValue;
    }

    private void ReadChildren(Base target, FhirTypeInfo type)
    {
        if (_reader.IsEmptyElement)
        {
            return;
        }

        var last = -1;
        var gathers = type.Kind != TypeKind.Primitive;
        if (gathers)
        {
            target.BeginGather(SlotScratch.Current);  // values go into a dense scratch array, compacted to their exact shape at the end (see Base)
        }

        while (_reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.EndElement:
                    if (gathers)
                    {
                        target.EndGather(SlotScratch.Current);
                    }

                    return;
                case XmlNodeType.Element:
                    ReadChild(target, type, ref last);
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    Report(IssueSeverity.Error, ParseCodes.WrongType,
                        $"Text content is not allowed in {type.Name}: FHIR XML carries values in 'value' attributes.");
                    break;
                case XmlNodeType.ProcessingInstruction:
                    Report(IssueSeverity.Warning, ParseCodes.Forbidden, $"Processing instruction '{_reader.Name}' ignored.");
                    break;
            }
        }
    }

    private void ReadChild(Base target, FhirTypeInfo type, ref int last)
    {
        var name = _reader.LocalName;
        if (!type.TryGetByJsonName(name, out var element, out var choiceType) || element.Representation == XmlRepresentation.Attribute)
        {
            Unknown($"Unknown element '{name}' in {type.Name}.", _location.With(name));
            SkipElement();
            return;
        }

        var expectedNs = element.Representation == XmlRepresentation.Xhtml ? _xhtmlNs : _fhirNs;
        if (!ReferenceEquals(_reader.NamespaceURI, expectedNs))
        {
            Report(IssueSeverity.Error, ParseCodes.Namespace,
                $"Element '{name}' must be in the namespace '{expectedNs}', not '{_reader.NamespaceURI}'.", _location.With(name));
            SkipElement();
            return;
        }

        if (_reader.Depth >= _options.MaxDepth)
        {
            Report(IssueSeverity.Error, ParseCodes.TooDeep, $"Nesting deeper than {_options.MaxDepth} elements.", _location.With(name));
            SkipElement();
            return;
        }

        if (!CheckPosition(target, element, name, ref last))
        {
            SkipElement();
            return;
        }

        IList? list = null;
        var index = -1;
        if (element.IsList)
        {
            list = GetOrCreateList(target, element);
            index = list.Count;
        }

        var valueType = choiceType ?? element.Type;
        // Choice locations as the JSON reader writes them: Observation.value.ofType(Quantity).
        _location.Push(element.Name, element.IsChoice ? valueType.Name : null);
        if (index >= 0)
        {
            _location.SetIndex(index);
        }

        var value = ReadValue(element, valueType);
        _location.Pop();
        if (value is null)
        {
            return;
        }

        if (list is not null)
        {
            list.Add(value);
        }
        else
        {
            target.SetValue(element, value);
        }
    }

    /// <summary>
    /// FHIR XML requires definition order and contiguous repeats. Returns false when the element must be dropped (a
    /// second value for a single-valued element); order problems are reported but the content kept.
    /// </summary>
    private bool CheckPosition(Base target, ElementInfo element, string name, ref int last)
    {
        var existing = target.GetValue(element);
        if (!element.IsList && existing is not null)
        {
            var code = element.IsChoice ? ParseCodes.ChoiceConflict : ParseCodes.Cardinality;
            Report(IssueSeverity.Error, code, element.IsChoice
                ? $"'{name}' conflicts with an earlier value of the choice element '{element.Name}[x]'; it is ignored."
                : $"'{name}' occurs more than once but allows one value; the repeat is ignored.", _location.With(element.Name));
            return false;
        }

        if (element.Index < last)
        {
            if (existing is IList { Count: > 0 } items)
            {
                Report(IssueSeverity.Error, ParseCodes.ElementOrder,
                    $"The repeats of '{name}' are not contiguous (FHIR XML requires them together).", _location.With($"{element.Name}[{items.Count}]"));
            }
            else
            {
                // The spec requires definition order; ParserOptions.UnknownElements is the strict/lenient switch.
                Report(_options.UnknownElements == UnknownElementHandling.Error ? IssueSeverity.Error : IssueSeverity.Warning, ParseCodes.ElementOrder,
                    $"'{name}' is out of order: it must come before '{target.TypeInfo.Elements[last].Name}'.", _location.With(element.Name));
            }
        }
        else
        {
            last = element.Index;
        }

        return true;
    }

    private object? ReadValue(ElementInfo element, FhirTypeInfo type)
    {
        if (element.Representation == XmlRepresentation.Xhtml)
        {
            var start = CurrentLine();
            var markup = XhtmlMarkup.Read(_reader, _options.MaxDepth,
                () => Report(IssueSeverity.Error, ParseCodes.TooDeep, $"Narrative markup nested deeper than {_options.MaxDepth} elements."), _source);
            var xhtml = new XHtml(markup);
            RecordPosition(xhtml, start);
            return xhtml;
        }

        if (element.IsResource)
        {
            return ReadWrappedResource();
        }

        if (element.IsSystemValue)
        {
            return ReadSystemValueElement(element);
        }

        var instance = type.CreateInstance();
        var at = CurrentLine();  // an empty element is reported at its start tag, not its end tag
        var sawValue = ReadAttributes(instance, type);
        ReadChildren(instance, type);
        if (instance.IsEmpty)
        {
            if (!sawValue)
            {
                Report(IssueSeverity.Error, ParseCodes.Empty, type.IsPrimitive
                    ? $"The {type.Name} element has neither a value attribute nor extensions."
                    : $"The {type.Name} element is empty (FHIR forbids empty elements).", at: at);
            }

            return null;
        }

        RecordPosition(instance, at);
        return instance;
    }

    /// <summary>Resource.id: held as a plain string in the model but written as an element with a value attribute.</summary>
    private string? ReadSystemValueElement(ElementInfo element)
    {
        string? value = null;
        if (_reader.MoveToFirstAttribute())
        {
            do
            {
                if (ReferenceEquals(_reader.NamespaceURI, _xmlnsNs))
                {
                    continue;
                }

                if (_reader.NamespaceURI.Length == 0 && _reader.LocalName == "value")
                {
                    value = _reader.Value;
                }
                else
                {
                    Unknown($"Unknown attribute '{_reader.Name}' on {element.Name}.", _location.With("@" + _reader.Name));
                }
            }
            while (_reader.MoveToNextAttribute());

            _reader.MoveToElement();
        }

        var line = CurrentLine();
        if (!_reader.IsEmptyElement)
        {
            var depth = _reader.Depth;
            while (_reader.Read() && !(_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == depth))
            {
                if (_reader.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA)
                {
                    Unknown($"'{element.Name}' allows only a value attribute; its content is ignored.", _location.ToString());
                    SkipElement();
                }
            }
        }

        if (string.IsNullOrEmpty(value))
        {
            Report(IssueSeverity.Error, ParseCodes.Empty, $"'{element.Name}' has no value attribute.", _location.ToString(), line);
            return null;
        }

        if (_options.ValidatePrimitives && element.Name == "id" && !PrimitiveValues.IsValidLexical("id", value))
        {
            Report(IssueSeverity.Warning, ParseCodes.InvalidValue, $"'{value}' does not match the id pattern; kept as written.", _location.ToString(), line);
        }

        return value;
    }

    /// <summary>contained, Bundle.entry.resource, Parameters.parameter.resource: one resource element inside the wrapper.</summary>
    private Resource? ReadWrappedResource()
    {
        var line = CurrentLine();
        var issuesBefore = _issues.Count;
        Resource? result = null;
        if (!_reader.IsEmptyElement)
        {
            while (_reader.Read() && _reader.NodeType != XmlNodeType.EndElement)
            {
                switch (_reader.NodeType)
                {
                    case XmlNodeType.Element when result is not null:
                        Report(IssueSeverity.Error, ParseCodes.Cardinality, "Only one resource may be wrapped here; the extra one is ignored.");
                        SkipElement();
                        break;
                    case XmlNodeType.Element:
                        result = ReadInnerResource();
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                        Report(IssueSeverity.Error, ParseCodes.WrongType, "Text content is not allowed where a resource is expected.");
                        break;
                }
            }
        }

        if (result is null && _issues.Count == issuesBefore)
        {
            Report(IssueSeverity.Error, ParseCodes.Empty, "A resource was expected inside this element.", _location.ToString(), line);
        }

        return result;
    }

    private Resource? ReadInnerResource()
    {
        if (!ReferenceEquals(_reader.NamespaceURI, _fhirNs))
        {
            Report(IssueSeverity.Error, ParseCodes.Namespace, $"The resource element '{_reader.LocalName}' must be in the FHIR namespace.");
            SkipElement();
            return null;
        }

        var type = ModelInfo.GetResourceType(_reader.LocalName);
        if (type is null)
        {
            Report(IssueSeverity.Error, ParseCodes.ResourceType, $"'{_reader.LocalName}' is not an R4 resource type.");
            SkipElement();
            return null;
        }

        if (_reader.Depth >= _options.MaxDepth)
        {
            Report(IssueSeverity.Error, ParseCodes.TooDeep, $"Nesting deeper than {_options.MaxDepth} elements.");
            SkipElement();
            return null;
        }

        var resource = (Resource)type.CreateInstance();
        RecordPosition(resource, CurrentLine());
        ReadAttributes(resource, type);
        ReadChildren(resource, type);
        return resource;
    }
}
