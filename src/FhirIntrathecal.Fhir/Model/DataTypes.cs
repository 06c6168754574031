namespace FhirIntrathecal.Fhir.Model;

/// <summary>Any datatype that may appear in a choice element: every primitive and complex type (not BackboneElement).</summary>
public abstract partial class DataType : Element
{
    private protected DataType(int slotCount)
        : base(slotCount)
    {
    }
}

/// <summary>
/// A FHIR primitive: id, extensions and a value, in one object (its id/extension slots are allocated only once set).
/// Values are kept as the specification's lexical form where the text matters (decimal, dates, base64), so what is
/// read is what is written. A parser may store a string-like value as its exact UTF-8 bytes: it is decoded to a
/// <see cref="string"/> on the first read of <see cref="ObjectValue"/> (and kept), and a serializer can write the bytes
/// as they are (<see cref="TryGetUtf8Value"/>), so a parse → serialize round trip never creates the string. A long
/// value parsed from input the caller declared immutable may instead be a range of that input (<see cref="Utf8Slice"/>),
/// which behaves the same in every respect.
/// </summary>
public abstract partial class PrimitiveType : DataType
{
    /// <summary>Slot of the value element: every primitive is (id, extension, value).</summary>
    internal const int ValueSlot = 2;

    // A string, bool or int; or a byte[] or Utf8Slice holding the exact UTF-8 of a string (valid UTF-8, never written
    // to: it may be shared by several primitives), replaced by its string on first read. Kept by Base (the object's one
    // field), which tells a value from a slot array by its exact type: a value is never an object[].
    private ref object? _value => ref PrimitiveValue;

    private protected PrimitiveType()
        : base(PrimitiveSlots)
    {
    }

    /// <summary>The value as stored: string (most types, decimal as its exact text), bool, or int.</summary>
    public object? ObjectValue
    {
        get
        {
            // Read once: another thread may replace the bytes with their string between two reads.
            var raw = _value;
            return raw is byte[] or Utf8Slice ? Decode(raw) : raw;
        }

        set => _value = value;
    }

    public bool HasValue => _value is not null;

    /// <summary>
    /// The value's UTF-8 bytes, when it is held that way (not yet read as a string, nor kept as escaped JSON text); false
    /// otherwise.
    /// </summary>
    public bool TryGetUtf8Value(out ReadOnlySpan<byte> utf8) => Utf8Slice.TryGetBytes(_value, out utf8);

    /// <summary>True when the value is a string of no characters (never written: FHIR forbids empty strings).</summary>
    internal bool IsEmptyString => _value is "" or byte[] { Length: 0 } or Utf8Slice { Length: 0 };

    /// <summary>
    /// Stores a string-like value as its UTF-8 bytes, which must be valid UTF-8 and are never changed afterwards (so one
    /// array may be shared by several primitives).
    /// </summary>
    internal void SetUtf8Value(byte[] utf8) => _value = utf8;

    /// <summary>The stored value without decoding UTF-8 bytes (for copies: the bytes are immutable and may be shared).</summary>
    internal object? RawValue
    {
        get => _value;
        set => _value = value;
    }

    /// <summary>Value equality, comparing UTF-8 bytes without decoding when both sides hold them (as arrays or slices).</summary>
    internal bool ValueEquals(PrimitiveType other) => RawEquals(_value, other._value);

    /// <summary>
    /// Equality of two values as stored (<see cref="RawValue"/>: a primitive's, or a bare one in a slot), comparing UTF-8
    /// bytes without decoding when both sides hold them, and never decoding in place.
    /// </summary>
    internal static bool RawEquals(object? a, object? b)
    {
        if (a is byte[] or Utf8Slice && b is byte[] or Utf8Slice)
        {
            return ReferenceEquals(a, b) || Utf8Slice.Utf8Equals(a, b);
        }

        return a is null ? b is null : b is not null && Decoded(a).Equals(Decoded(b));
    }

    private static object Decoded(object raw) => raw is byte[] or Utf8Slice ? DecodeUtf8(raw) : raw;

    /// <summary>The string of a value held as UTF-8 (an array or a slice of the input).</summary>
    private static string DecodeUtf8(object utf8) =>
        utf8 is Utf8Slice slice ? slice.ToString() : System.Text.Encoding.UTF8.GetString((byte[])utf8);

    /// <summary>The value in the lexical form it has in JSON and XML.</summary>
    public string? ToLexical() => LexicalOf(ObjectValue);

    /// <summary>The lexical form of a value as stored (<see cref="RawValue"/>: a primitive's, or a bare one in a slot).</summary>
    internal static string? LexicalOf(object? raw) => raw switch
    {
        null => null,
        bool b => b ? "true" : "false",
        int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        byte[] or Utf8Slice => DecodeUtf8(raw),
        var v => v.ToString(),
    };

    public override string? ToString() => ToLexical();

    // Benign race: threads reading at once may each decode; the first to store wins and all return equal strings. A
    // value set meanwhile is not overwritten.
    private string Decode(object raw)
    {
        var s = DecodeUtf8(raw);
        var prior = System.Threading.Interlocked.CompareExchange(ref _value, s, raw);
        return ReferenceEquals(prior, raw) ? s : prior as string ?? s;
    }
}
