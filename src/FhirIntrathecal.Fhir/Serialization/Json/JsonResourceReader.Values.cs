using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>Values: primitives (as the model holds them), system values, <c>_name</c> companions, and list helpers.</summary>
internal ref partial struct JsonResourceReader
{
    /// <summary>Reads <c>_name</c>: the id and extensions of a primitive (or an array of them).</summary>
    private void ReadCompanion(Base target, ElementInfo element, FhirTypeInfo type)
    {
        var existing = target.GetValue(element);
        if (element.IsList)
        {
            if (_reader.TokenType != JsonTokenType.StartArray)
            {
                Issue(IssueSeverity.Error, ParseCodes.Cardinality, $"'_{element.Name}' must be an array aligned with '{element.Name}'.");
                _reader.Skip();
                return;
            }

            var list = existing as IList ?? type.CreateList();
            var index = 0;
            while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
            {
                _path.SetIndex(index);
                if (_reader.TokenType == JsonTokenType.StartObject)
                {
                    while (list.Count <= index)
                    {
                        list.Add(null);
                    }

                    var primitive = list[index] as Base ?? type.CreateInstance();
                    if (HasMetadata(primitive))
                    {
                        Issue(IssueSeverity.Error, ParseCodes.DuplicateProperty, $"'_{element.Name}' appears twice.");
                        _reader.Skip();
                    }
                    else
                    {
                        ReadObject(primitive, type);
                        list[index] = primitive;
                    }
                }
                else if (_reader.TokenType != JsonTokenType.Null)
                {
                    WrongType("an object or null");
                }

                index++;
            }

            RemoveNulls(list);
            if (list.Count > 0)
            {
                target.SetValue(element, list);
                _valuelessItems = true;  // its items may have no value: checked at the object's end
            }

            return;
        }

        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            WrongType("an object with id and/or extension");
            return;
        }

        if (existing is not null && (!ReferenceEquals(((Base)existing).TypeInfo, type) || HasMetadata((Base)existing)))
        {
            ReportDuplicate(element, existing, type);
            _reader.Skip();
            return;
        }

        var target2 = (Base?)existing ?? type.CreateInstance();
        ReadObject(target2, type);
        target.SetValue(element, target2);
    }

    private object? ReadSystemValue(FhirTypeInfo type)
    {
        if (type.Name == "System.Boolean")
        {
            return _reader.TokenType is JsonTokenType.True or JsonTokenType.False ? _reader.GetBoolean() : WrongType("a boolean");
        }

        if (_reader.TokenType != JsonTokenType.String)
        {
            return WrongType("a string");
        }

        return ReadString();
    }

    /// <summary>The value of a primitive as the model holds it (bool, int, decimal text, string), or null after an issue.</summary>
    private object? ReadPrimitiveValue(FhirTypeInfo type)
    {
        switch (type.PrimitiveKind)
        {
            case PrimitiveKind.Boolean:
                return _reader.TokenType is JsonTokenType.True or JsonTokenType.False ? Boxed(_reader.GetBoolean()) : WrongType("true or false");
            case PrimitiveKind.Integer:
                if (_reader.TokenType != JsonTokenType.Number)
                {
                    return WrongType("a JSON number");
                }

                if (!_reader.TryGetInt32(out var i))
                {
                    return InvalidValue($"'{Encoding.UTF8.GetString(_reader.ValueSpan)}' is not a 32-bit integer.");
                }

                if ((type.Name == "positiveInt" && i < 1) || (type.Name == "unsignedInt" && i < 0))
                {
                    return InvalidValue($"{i} is not a valid {type.Name}.");
                }

                return (uint)i < (uint)SmallInts.Length ? SmallInts[i] : i;
            case PrimitiveKind.Decimal:
                // The exact text (as UTF-8, ASCII digits): precision ("1.50") is significant in FHIR.
                return _reader.TokenType != JsonTokenType.Number ? WrongType("a JSON number") : Utf8Value(_reader.ValueSpan);
            default:
                if (_reader.TokenType != JsonTokenType.String)
                {
                    return WrongType("a JSON string");
                }

                var s = ReadUtf8();
                if (s is byte[] { Length: 0 })
                {
                    Issue(IssueSeverity.Error, ParseCodes.Empty, "Empty strings are not allowed in FHIR JSON; omit the element instead.");
                    return null;
                }

                return s;
        }
    }

    /// <summary>
    /// The current string unescaped, as the exact UTF-8 the model keeps (<see cref="PrimitiveType.SetUtf8Value"/>): an
    /// array, or, when it is long and the input is immutable (<see cref="FhirJsonParser.ParseImmutable"/>), a
    /// <see cref="Utf8Slice"/> of the input (escaped or not: checked here either way); null after an issue (not valid UTF-8).
    /// </summary>
    private object? ReadUtf8()
    {
        var span = _reader.ValueSpan;
        if (!_reader.ValueIsEscaped)
        {
            return Kept(span, span.Length, escaped: false);
        }

        // A long escaped value (a narrative, mostly) kept as a slice is checked as it stands, not unescaped only to check
        // it; anything that check cannot vouch for takes the full path, which reports it.
        return span.Length >= MinSliceLength && EscapedIsValid(span) && Slice(span.Length, escaped: true) is { } slice
            ? slice
            : ReadEscapedUtf8(span);
    }

    /// <summary>
    /// Whether escaped JSON string text unescapes to valid UTF-8, decided without unescaping: its bytes are valid UTF-8
    /// (an escape is ASCII, so it never splits a sequence, and is copied around, never into one) and no <c>\u</c> escape
    /// may be a surrogate (those all start <c>\uD</c>; a pair would be fine, but it is left to the full path). False
    /// means "not shown valid", not "invalid".
    /// </summary>
    private static bool EscapedIsValid(ReadOnlySpan<byte> escaped)
    {
        if (!Utf8.IsValid(escaped))
        {
            return false;
        }

        for (var rest = escaped; rest.IndexOf("\\u"u8) is var i and >= 0; rest = rest[(i + 2)..])
        {
            if (i + 2 < rest.Length && (rest[i + 2] | 0x20) == 'd')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The model's form of a string's UTF-8 <paramref name="value"/> (unescaped; its token is <paramref name="tokenLength"/>
    /// bytes): a slice of an immutable input when long, a shared array when short (looked up first: a value found is
    /// valid already, only valid ones are shared), else its own array; null after an issue (not valid UTF-8).
    /// </summary>
    private object? Kept(scoped ReadOnlySpan<byte> value, int tokenLength, bool escaped) =>
        Slice(tokenLength, escaped) is { } slice ? (Utf8.IsValid(value) ? slice : InvalidUtf8())
        : value.Length <= StringCache.MaxLength ? _strings.GetValidUtf8(value) ?? InvalidUtf8()
        : Utf8.IsValid(value) ? value.ToArray() : InvalidUtf8();

    /// <summary><see cref="ReadUtf8"/> of a value with escapes (apart: the common path stays small).</summary>
    private object? ReadEscapedUtf8(ReadOnlySpan<byte> span)
    {
        // Unescaped is never longer than escaped.
        byte[]? rented = null;
        Span<byte> buffer = span.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(span.Length));
        try
        {
            return Kept(buffer[.._reader.CopyString(buffer)], span.Length, escaped: true);
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate (\ud800) has no UTF-8 form.
            return InvalidUtf8();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The current string token's range of an immutable input, when it is long enough to be worth one; else null.</summary>
    private readonly Utf8Slice? Slice(int length, bool escaped) =>
        _immutableInput.Array is { } input && length >= MinSliceLength
            // A string token starts at its opening quote; the reader's input is the segment.
            ? new Utf8Slice(input, _immutableInput.Offset + (int)_reader.TokenStartIndex + 1, length, escaped)
            : null;

    /// <summary>An array of exactly these bytes (valid UTF-8): shared when short (values repeat), else its own.</summary>
    private readonly byte[] Utf8Value(ReadOnlySpan<byte> utf8) =>
        utf8.Length <= StringCache.MaxLength ? _strings.GetValidUtf8(utf8)! : utf8.ToArray();

    private byte[]? InvalidUtf8()
    {
        Issue(IssueSeverity.Error, ParseCodes.InvalidValue, "The string is not valid UTF-8.");
        return null;
    }

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    /// <summary>Shared boxes of the integers most values are (counts, sequence numbers, ranks): a box is immutable.</summary>
    private static readonly object[] SmallInts = Enumerable.Range(0, 1024).Select(i => (object)i).ToArray();

    /// <summary>One shared box per boolean value instead of one per element.</summary>
    private static object Boxed(bool value) => value ? BoxedTrue : BoxedFalse;

    private string? ReadString()
    {
        var span = _reader.ValueSpan;
        if (!_reader.ValueIsEscaped && span.Length <= StringCache.MaxLength && _strings.GetValid(span) is { } shared)
        {
            return shared;
        }

        try
        {
            return _reader.GetString();
        }
        catch (InvalidOperationException)
        {
            Issue(IssueSeverity.Error, ParseCodes.InvalidValue, "The string is not valid UTF-8.");
            return null;
        }
    }

    /// <summary>A primitive (an Element: slot 0 is id, slot 1 extension) carries an id or extensions.</summary>
    private static bool HasMetadata(Base primitive) =>
        primitive.GetValue(primitive.TypeInfo.Elements[0]) is not null || primitive.GetValue(primitive.TypeInfo.Elements[1]) is IList { Count: > 0 };
}
