using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// The FHIR JSON reading rules on top of <see cref="Utf8JsonReader"/>. A ref struct so it can hold the input span (for
/// line/column of issues) and the reader itself; one instance reads one document. Work is bounded: at most
/// <see cref="ParserOptions.MaxIssues"/> issues (line/column from one <see cref="LineIndex"/> built on the first issue),
/// and the cancellation token is checked at every property and array item.
/// </summary>
internal ref partial struct JsonResourceReader
{
    private const int MaxNameLength = 128;

    private readonly ReadOnlySpan<byte> _input;
    private readonly ParserOptions _options;
    private readonly PositionMap? _positions;
    private readonly CancellationToken _cancellationToken;
    private readonly StringCache _strings = StringCache.Current;  // this thread's shared values, looked up once per document
    private readonly SlotScratch _scratch = SlotScratch.Current;  // this thread's scratch slot arrays, likewise
    private readonly LocationPath _path = new();
    private Utf8JsonReader _reader;
    private List<ParseIssue>? _issues;
    private Resource? _root;  // the outermost resource, kept when a syntax error stops reading
    private LineIndex? _lines;  // built on the first issue
    private bool _valuelessItems;  // the object being read has a primitive list item without value (see CheckPrimitiveLists)
    private Skim? _skim;  // what an ElementSelection leaves unbuilt (JsonResourceSkim.cs)
    private byte[]? _nameBuffer;  // escaped property names, unescaped (see UnescapedName)
    private readonly ArraySegment<byte> _immutableInput;  // the input's array, when immutable (JsonResourceReader.Immutable.cs)

    public JsonResourceReader(ReadOnlySpan<byte> input, ParserOptions options, PositionMap? positions = null, CancellationToken cancellationToken = default)
    {
        _input = input;
        _options = options;
        _positions = positions;
        _cancellationToken = cancellationToken;
        positions?.SetInput(input);
        _reader = new Utf8JsonReader(input, new JsonReaderOptions
        {
            // Our own depth check reports a located issue; the reader's is only a backstop.
            MaxDepth = options.MaxDepth + 8,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
    }

    public readonly IReadOnlyList<ParseIssue> Issues => (IReadOnlyList<ParseIssue>?)_issues ?? [];

    public Resource? ReadRoot()
    {
        Resource? root = null;
        try
        {
            if (!_reader.Read())
            {
                AddIssue(IssueSeverity.Fatal, ParseCodes.Syntax, "The input is empty.", 1, 1);
                return null;
            }

            if (_reader.TokenType != JsonTokenType.StartObject)
            {
                Issue(IssueSeverity.Fatal, ParseCodes.WrongType, $"A resource must be a JSON object, found {Describe(_reader.TokenType)}.");
                return null;
            }

            root = ReadResource(out _);
            if (root is not null && _reader.Read())
            {
                Issue(IssueSeverity.Error, ParseCodes.Syntax, "Unexpected content after the resource.");
            }
        }
        catch (JsonException e)
        {
            AddIssue(IssueSeverity.Fatal, ParseCodes.Syntax, CleanMessage(e), (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1);
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException || e.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            Issue(IssueSeverity.Fatal, ParseCodes.Syntax, "The input is not valid UTF-8.");
        }
        catch (StopReadingException)
        {
            // Already reported where it happened (too deep, too many issues).
        }

        return root ?? _root;
    }

    /// <summary>Reads the object at the current StartObject as a resource, finding resourceType wherever it is.</summary>
    private Resource? ReadResource(out bool skipped)
    {
        skipped = false;
        var typeName = FindResourceType();
        var type = typeName is null ? null : ModelInfo.GetResourceType(typeName);
        if (type is null)
        {
            Issue(IssueSeverity.Error, ParseCodes.ResourceType, typeName is null
                ? "The object has no resourceType (a string naming the resource type)."
                : $"'{typeName}' is not an R4 resource type.");
            _reader.Skip();
            skipped = true;
            return null;
        }

        var resource = (Resource)type.CreateInstance();
        _positions?.Record(resource, _reader.TokenStartIndex);
        _root ??= resource;
        _path.Push(type.Name);
        ReadObject(resource, type);
        _path.Pop();
        return resource;
    }

    /// <summary>Looks ahead (on a copy of the reader) for this object's resourceType.</summary>
    private readonly string? FindResourceType()
    {
        var probe = _reader;
        var depth = probe.CurrentDepth;
        while (probe.Read() && probe.CurrentDepth > depth)
        {
            if (probe.TokenType == JsonTokenType.PropertyName && probe.CurrentDepth == depth + 1)
            {
                var isResourceType = probe.ValueTextEquals("resourceType"u8);
                probe.Read();
                if (isResourceType)
                {
                    return probe.TokenType != JsonTokenType.String ? null
                        : !probe.ValueIsEscaped && probe.ValueSpan.Length <= StringCache.MaxLength ? _strings.GetValid(probe.ValueSpan) ?? probe.GetString()
                        : probe.GetString();
                }

                probe.Skip();
            }
        }

        return null;
    }

    /// <summary>Reads the properties of the object at the current StartObject into <paramref name="target"/>.</summary>
    private void ReadObject(Base target, FhirTypeInfo type)
    {
        if (_path.Depth > _options.MaxDepth)
        {
            Issue(IssueSeverity.Fatal, ParseCodes.TooDeep, $"Nesting deeper than {_options.MaxDepth} levels.");
            throw new StopReadingException();
        }

        var gathers = type.Kind != TypeKind.Primitive;
        if (gathers)
        {
            target.BeginGather(_scratch);  // values go into a dense scratch array, compacted to their exact shape at the end (see Base)
        }

        var outerValueless = _valuelessItems;
        _valuelessItems = false;
        var any = false;
        var isResource = type.Kind == TypeKind.Resource;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            any = true;
            // The name as UTF-8: straight from the input unless escaped (it stays valid after the reader moves on).
            var name = _reader.ValueIsEscaped ? UnescapedName() : _reader.ValueSpan;
            _reader.Read();

            if (isResource && name.SequenceEqual("resourceType"u8))
            {
                _reader.Skip();
                continue;
            }

            var isCompanion = name.Length > 1 && name[0] == (byte)'_';
            var lookup = isCompanion ? name[1..] : name;
            if (!type.TryGetByJsonName(lookup, out var element, out var choiceType)
                || (isCompanion && (choiceType ?? element.Type).Kind != TypeKind.Primitive)
                || (type.Kind == TypeKind.Primitive && element.Name == "value"))
            {
                // The message names at most MaxNameLength bytes of it: longer than any FHIR name anyway.
                UnknownElement(Encoding.UTF8.GetString(name[..Math.Min(name.Length, MaxNameLength)]));
                continue;
            }

            var elementType = choiceType ?? element.Type;
            if (_skim is not null && _path.Depth == 1 && SkipsTopLevel(type, element, elementType, isCompanion))
            {
                continue;
            }

            _path.Push(element.Name, element.IsChoice ? elementType.Name : null);
            if (isCompanion)
            {
                ReadCompanion(target, element, elementType);
            }
            else
            {
                ReadElement(target, element, elementType);
            }

            _path.Pop();
        }

        if (!any)
        {
            Issue(IssueSeverity.Error, ParseCodes.Empty, "Empty objects are not allowed in FHIR JSON.");
        }

        if (_valuelessItems && gathers)
        {
            CheckPrimitiveLists(target, type);
        }

        _valuelessItems = outerValueless;
        if (gathers)
        {
            target.EndGather(_scratch);
        }
    }

    private void ReadElement(Base target, ElementInfo element, FhirTypeInfo type)
    {
        var existing = target.GetValue(element);
        if (element.IsList)
        {
            if (_reader.TokenType != JsonTokenType.StartArray)
            {
                Issue(IssueSeverity.Error, ParseCodes.Cardinality, $"'{element.Name}' repeats, so its value must be an array.");
                _reader.Skip();
                return;
            }

            ReadList(target, element, type, existing as IList);
            return;
        }

        if (_reader.TokenType == JsonTokenType.StartArray)
        {
            Issue(IssueSeverity.Error, ParseCodes.Cardinality, $"'{element.Name}' does not repeat, so its value must not be an array.");
            _reader.Skip();
            return;
        }

        if (existing is not null && !(existing is PrimitiveType { HasValue: false } p && ReferenceEquals(p.TypeInfo, type)))
        {
            ReportDuplicate(element, existing, type);
            _reader.Skip();
            return;
        }

        // A primitive value with no _name (yet) is kept bare, without its primitive (see ElementInfo.HoldsBareValue); a
        // _name read later makes the primitive (ReadCompanion reads the slot). Positions need the primitive to record.
        // The value is UTF-8 (array or slice), a bool or an int box, never a string: what Base.GetSlot tests for.
        var value = existing is null && element.HoldsBareValue && _positions is null
            ? ReadPrimitiveValue(type)
            : ReadValue(element, type, existing as Base);
        if (value is not null)
        {
            target.SetValue(element, value);
        }
    }

    /// <summary>Reads one value (not an array) for an element of the given type.</summary>
    private object? ReadValue(ElementInfo element, FhirTypeInfo type, Base? existing)
    {
        switch (type.Kind)
        {
            case TypeKind.System:
                return ReadSystemValue(type);
            case TypeKind.Primitive:
                var primitive = (PrimitiveType)(existing ?? type.CreateInstance());
                _positions?.Record(primitive, _reader.TokenStartIndex);
                var value = ReadPrimitiveValue(type);
                if (value is null)
                {
                    return existing;
                }

                primitive.RawValue = value;  // a byte[] is a string's UTF-8 (see ReadUtf8)
                return primitive;
            case TypeKind.Resource:
                if (_reader.TokenType != JsonTokenType.StartObject)
                {
                    WrongType("a resource object");
                    return null;
                }

                if (_options.SkipEntryResources && _path.Depth == 3 && _root is Bundle)
                {
                    // Bundle.entry.resource of a Bundle read entry by entry (BundleEntries): read apart, one at a time.
                    _reader.Skip();
                    return null;
                }

                return ReadResource(out _);
            default:
                if (_reader.TokenType != JsonTokenType.StartObject)
                {
                    WrongType($"an object ({type.Name})");
                    return null;
                }

                var instance = type.CreateInstance();
                _positions?.Record(instance, _reader.TokenStartIndex);
                ReadObject(instance, type);
                return instance;
        }
    }

    private void ReportDuplicate(ElementInfo element, object existing, FhirTypeInfo type)
    {
        if (element.IsChoice && existing is Base b && !ReferenceEquals(b.TypeInfo, type))
        {
            Issue(IssueSeverity.Error, ParseCodes.ChoiceConflict, $"'{element.Name}' is given as both {b.TypeInfo.Name} and {type.Name}; only one type is allowed.");
        }
        else
        {
            Issue(IssueSeverity.Error, ParseCodes.DuplicateProperty, $"'{element.Name}' appears more than once.");
        }
    }

    private void UnknownElement(string name)
    {
        var severity = _options.UnknownElements == UnknownElementHandling.Error ? IssueSeverity.Error : IssueSeverity.Warning;
        AddIssue(severity, ParseCodes.UnknownElement, $"Unknown element '{name}'.", _path.With(name));
        _reader.Skip();
    }

    private object? WrongType(string expected)
    {
        Issue(IssueSeverity.Error, ParseCodes.WrongType, $"Expected {expected}, found {Describe(_reader.TokenType)}.");
        if (_reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _reader.Skip();
        }

        return null;
    }

    private object? InvalidValue(string message)
    {
        Issue(IssueSeverity.Error, ParseCodes.InvalidValue, message);
        return null;
    }

    private void Issue(IssueSeverity severity, string code, string message) => AddIssue(severity, code, message, _path.ToString());

    private void AddIssue(IssueSeverity severity, string code, string message, string location)
    {
        var (line, column) = (_lines ??= LineIndex.Build(_input)).Find(Math.Min(_reader.TokenStartIndex, _input.Length));
        Add(new ParseIssue(severity, code, message, location, line, column));
    }

    private void AddIssue(IssueSeverity severity, string code, string message, long line, long column) =>
        Add(new ParseIssue(severity, code, message, _path.ToString(), line, column));

    /// <summary>
    /// Adds an issue. Past <see cref="ParserOptions.MaxIssues"/>, adds one fatal <see cref="ParseCodes.TooManyIssues"/>
    /// in its place and stops reading. A fatal issue is always added: it ends reading anyway.
    /// </summary>
    private void Add(ParseIssue issue)
    {
        var issues = _issues ??= [];
        if (issues.Count < _options.MaxIssues || issue.Severity == IssueSeverity.Fatal)
        {
            issues.Add(issue);
            return;
        }

        issues.Add(issue with
        {
            Severity = IssueSeverity.Fatal,
            Code = ParseCodes.TooManyIssues,
            Message = $"More than {_options.MaxIssues} issues in this input; reading stopped here.",
        });
        throw new StopReadingException();
    }

    /// <summary>
    /// The current property name unescaped (cut at <see cref="MaxNameLength"/> bytes: longer than any FHIR name), in a
    /// buffer of this reader that the next escaped name overwrites. Not a stackalloc in <see cref="ReadObject"/>: a method
    /// with one is compiled once, fully optimized, without the runtime's profile-guided recompilation of the hot loop.
    /// </summary>
    private ReadOnlySpan<byte> UnescapedName()
    {
        var buffer = _nameBuffer ??= new byte[MaxNameLength];
        return buffer.AsSpan(0, CopyName(buffer));
    }

    private readonly int CopyName(Span<byte> buffer)
    {
        if (_reader.ValueSpan.Length <= buffer.Length)
        {
            return _reader.CopyString(buffer);
        }

        // Only useful for the message: the first characters that fit.
        var s = _reader.GetString() ?? "";
        var chars = s.AsSpan(0, Math.Min(s.Length, buffer.Length / 3));
        return Encoding.UTF8.GetBytes(chars, buffer);
    }

    /// <summary>Unwinds the reader after a fatal issue it reported itself (too deep, too many issues).</summary>
    private sealed class StopReadingException : Exception;
}
