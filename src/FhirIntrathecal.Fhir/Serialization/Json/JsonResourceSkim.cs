using System.Text.Json;
using System.Text.Unicode;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// The skim: the top-level elements of a resource that an <see cref="ElementSelection"/> does not read are checked
/// against the model without being built. It walks the same metadata (the UTF-8 name tables) and applies the same rules
/// as the full read: known names, companion <c>_x</c> only for primitives, array vs single value, object vs primitive,
/// non-empty objects/arrays/strings, JSON kind and range of primitive values, valid UTF-8, duplicates, choice types,
/// contained resources and depth. It never reports an issue itself: at the first thing it would not vouch for (an
/// issue of the full read, or a rare valid shape such as a null in a primitive array or an escaped name) it stops, and
/// <see cref="FhirJsonParser"/> reads the whole resource again in full, so every issue is reported by the one full read
/// with its code, path and line — identical by construction.
/// </summary>
internal ref partial struct JsonResourceReader
{
    private const byte SeenValue = 1;
    private const byte SeenCompanion = 2;

    /// <summary>Reads only the elements <paramref name="selection"/> names at the top level of the resource.</summary>
    public void Select(ElementSelection selection) => _skim = new Skim(selection);

    /// <summary>The skim met something it does not vouch for and stopped reading: the caller reads the resource in full.</summary>
    public readonly bool SkimStopped => _skim?.Stopped == true;

    /// <summary>
    /// The hook of <see cref="ReadObject"/> for a top-level element of the root resource: true when it is not read (and
    /// has been skimmed or skipped), false when it is to be read as usual.
    /// </summary>
    private bool SkipsTopLevel(FhirTypeInfo type, ElementInfo element, FhirTypeInfo elementType, bool isCompanion)
    {
        var skim = _skim!;
        var reads = skim.Reads(type);
        if (reads is null || reads[element.Index])
        {
            return false;
        }

        if (!SkimElement(element, elementType, isCompanion, _path.Depth + 1, skim.Seen ??= new byte[reads.Length]))
        {
            skim.Stopped = true;
            throw new StopReadingException();
        }

        return true;
    }

    /// <summary>One property's value (the reader is on it); <paramref name="depth"/> is the path depth the full read would have.</summary>
    private bool SkimElement(ElementInfo element, FhirTypeInfo type, bool isCompanion, int depth, scoped Span<byte> seen)
    {
        var index = element.Index;
        var flag = isCompanion ? SeenCompanion : SeenValue;
        if ((uint)index >= (uint)seen.Length || (seen[index] & flag) != 0 || (isCompanion && element.IsChoice))
        {
            return false;  // a duplicate (or a companion of a choice: checked by the full read)
        }

        seen[index] |= flag;
        if (!element.IsList)
        {
            return isCompanion
                ? _reader.TokenType == JsonTokenType.StartObject && SkimObject(type, depth)
                : _reader.TokenType != JsonTokenType.StartArray && SkimValue(type, depth);
        }

        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var count = 0;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            count++;
            var clean = _reader.TokenType == JsonTokenType.Null
                ? isCompanion  // a null value item must be aligned with a companion: left to the full read
                : isCompanion
                    ? _reader.TokenType == JsonTokenType.StartObject && SkimObject(type, depth)
                    : SkimValue(type, depth);
            if (!clean)
            {
                return false;
            }
        }

        return count > 0 || isCompanion;
    }

    /// <summary>One value (not an array) of a type, as <see cref="ReadValue"/> reads it.</summary>
    private bool SkimValue(FhirTypeInfo type, int depth)
    {
        switch (type.Kind)
        {
            case TypeKind.System:
                return type.Name == "System.Boolean"
                    ? _reader.TokenType is JsonTokenType.True or JsonTokenType.False
                    : _reader.TokenType == JsonTokenType.String && SkimString(allowEmpty: true);
            case TypeKind.Primitive:
                return SkimPrimitive(type);
            case TypeKind.Resource:
                if (_reader.TokenType != JsonTokenType.StartObject || FindResourceType() is not { } name || ModelInfo.GetResourceType(name) is not { } resourceType)
                {
                    return false;
                }

                return SkimObject(resourceType, depth + 1);
            default:
                return _reader.TokenType == JsonTokenType.StartObject && SkimObject(type, depth);
        }
    }

    /// <summary>The properties of the object the reader is on, as <see cref="ReadObject"/> reads them.</summary>
    private bool SkimObject(FhirTypeInfo type, int depth)
    {
        if (depth > _options.MaxDepth)
        {
            return false;
        }

        Span<byte> seen = stackalloc byte[type.Elements.Count == 0 ? 0 : type.Elements[^1].Index + 1];
        var any = false;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            any = true;
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var name = _reader.ValueSpan;  // a slice of the input: still valid after the reader moves on
            _reader.Read();
            if (type.Kind == TypeKind.Resource && name.SequenceEqual("resourceType"u8))
            {
                _reader.Skip();
                continue;
            }

            var isCompanion = name.Length > 1 && name[0] == (byte)'_';
            if (!type.TryGetByJsonName(isCompanion ? name[1..] : name, out var element, out var choiceType))
            {
                return false;
            }

            var elementType = choiceType ?? element.Type;
            if ((isCompanion && elementType.Kind != TypeKind.Primitive)
                || (type.Kind == TypeKind.Primitive && element.Name == "value")
                || !SkimElement(element, elementType, isCompanion, depth + 1, seen))
            {
                return false;
            }
        }

        return any;
    }

    /// <summary>A primitive's value, as <see cref="ReadPrimitiveValue"/> checks it.</summary>
    private bool SkimPrimitive(FhirTypeInfo type)
    {
        switch (type.PrimitiveKind)
        {
            case PrimitiveKind.Boolean:
                return _reader.TokenType is JsonTokenType.True or JsonTokenType.False;
            case PrimitiveKind.Integer:
                return _reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out var i)
                    && !(type.Name == "positiveInt" && i < 1) && !(type.Name == "unsignedInt" && i < 0);
            case PrimitiveKind.Decimal:
                return _reader.TokenType == JsonTokenType.Number;
            default:
                return _reader.TokenType == JsonTokenType.String && SkimString(allowEmpty: false);
        }
    }

    /// <summary>A string as <see cref="ReadString"/> reads it: valid UTF-8 (and, for a primitive, not empty).</summary>
    private readonly bool SkimString(bool allowEmpty)
    {
        if (!_reader.ValueIsEscaped)
        {
            return (allowEmpty || _reader.ValueSpan.Length > 0) && Utf8.IsValid(_reader.ValueSpan);
        }

        try
        {
            return _reader.GetString() is { } s && (allowEmpty || s.Length > 0);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The skim's state for one document: the selection, the root type's read elements, the skimmed ones seen.</summary>
    private sealed class Skim(ElementSelection selection)
    {
        private bool _resolved;
        private bool[]? _reads;

        public ElementSelection Selection { get; } = selection;

        /// <summary>SeenValue/SeenCompanion of the skimmed top-level elements, by element index.</summary>
        public byte[]? Seen { get; set; }

        public bool Stopped { get; set; }

        /// <summary>By element index, whether the root resource (the only one at depth 1) reads it; null = all.</summary>
        public bool[]? Reads(FhirTypeInfo rootType)
        {
            if (!_resolved)
            {
                _resolved = true;
                _reads = Selection.Reads(rootType);
            }

            return _reads;
        }
    }
}
