using System.Buffers;
using System.Collections;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>Options for writing FHIR JSON.</summary>
public sealed record JsonWriteOptions
{
    public static JsonWriteOptions Compact { get; } = new();

    public static JsonWriteOptions Pretty { get; } = new() { Indented = true };

    public bool Indented { get; init; }
}

/// <summary>
/// Writes FHIR JSON with <see cref="Utf8JsonWriter"/> from the model metadata: definition order, <c>_element</c>
/// companions (null-aligned arrays), choice names, exact decimals, no empty objects, arrays or strings.
/// </summary>
public static class FhirJsonSerializer
{
    private static readonly JsonEncodedText ResourceType = JsonEncodedText.Encode("resourceType");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] SerializeToUtf8Bytes(Base instance, JsonWriteOptions? options = null)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        Serialize(instance, buffer, options);
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 4 * 1024 * 1024)
        {
            t_buffer = null;  // don't pin a huge buffer to the thread
        }

        return bytes;
    }

    public static string SerializeToString(Base instance, JsonWriteOptions? options = null) =>
        System.Text.Encoding.UTF8.GetString(SerializeToUtf8Bytes(instance, options));

    public static void Serialize(Base instance, Stream stream, JsonWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, WriterOptions(options));
        Write(writer, instance);
    }

    public static void Serialize(Base instance, IBufferWriter<byte> output, JsonWriteOptions? options = null)
    {
        // One writer per thread and option set, reset onto each output: a writer is ~200 bytes of state worth keeping.
        var indented = options?.Indented ?? false;
        var writer = indented ? (t_indented ??= new Utf8JsonWriter(output, WriterOptions(options))) : (t_compact ??= new Utf8JsonWriter(output, WriterOptions(options)));
        writer.Reset(output);
        try
        {
            Write(writer, instance);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    [ThreadStatic]
    private static Utf8JsonWriter? t_compact;

    [ThreadStatic]
    private static Utf8JsonWriter? t_indented;

    /// <summary>Writes a resource or any element as one JSON object onto an existing writer.</summary>
    public static void Write(Utf8JsonWriter writer, Base instance)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(instance);
        writer.WriteStartObject();
        WriteMembers(writer, new PendingStarts(), instance);
        writer.WriteEndObject();
    }

    private static JsonWriterOptions WriterOptions(JsonWriteOptions? options) => new()
    {
        Indented = options?.Indented ?? false,
        // FHIR JSON is UTF-8: keep non-ASCII text as is instead of \\u-escaping it.
        Encoder = JsonStringWriter.Encoder,
        SkipValidation = true,
    };

    /// <summary>The members of <paramref name="instance"/>, inside the starts <paramref name="pending"/> holds (written with the first member).</summary>
    private static void WriteMembers(Utf8JsonWriter w, PendingStarts pending, Base instance)
    {
        var type = instance.TypeInfo;
        if (type.Kind == TypeKind.Resource)
        {
            pending.WriteStarts(w);
            w.WriteString(ResourceType, TypeName(type));
        }

        // Only the present slots: the element of slots[k + 1] is elements[indices[k]].
        var (indices, slots) = instance.SlotLayout;
        var elements = type.Elements;
        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];

            // The common cases first: class tests are cheaper than the interface test for a list.
            switch (slots[k + 1])
            {
                case null:
                    break;
                case PrimitiveType p:
                    WritePrimitive(w, pending, Names.Of(elements[i], p.TypeInfo), p);
                    break;
                case Base child:
                    pending.Open(Names.Of(elements[i], child.TypeInfo).Name, named: true, array: false);
                    WriteMembers(w, pending, child);
                    pending.Close(w);
                    break;
                case var bare when elements[i].HoldsBareValue:
                    // A primitive's value held without its primitive (no id or extension): as that primitive is written.
                    // Before the list test: a value's UTF-8 is a byte[], an IList too.
                    if (IsWritable(bare))
                    {
                        pending.WriteStarts(w);
                        w.WritePropertyName(Names.Of(elements[i]).Name);
                        WritePrimitiveValue(w, elements[i].Type, bare);
                    }

                    break;
                case IList list:
                    WriteList(w, pending, elements[i], list);
                    break;
                case string s:
                    if (s.Length > 0)
                    {
                        pending.WriteStarts(w);
                        JsonStringWriter.WriteString(w, Names.Of(elements[i]).Name, s);
                    }

                    break;
                case bool b:
                    pending.WriteStarts(w);
                    w.WriteBoolean(Names.Of(elements[i]).Name, b);
                    break;
                default:
                    throw new InvalidOperationException($"{elements[i].Path} holds a {slots[k + 1]!.GetType().Name}, which is not a FHIR value.");
            }
        }
    }

    private static void WriteList(Utf8JsonWriter w, PendingStarts pending, ElementInfo element, IList list)
    {
        if (element.Type.Kind == TypeKind.Primitive)
        {
            WritePrimitiveList(w, pending, Names.Of(element), list);
            return;
        }

        pending.Open(Names.Of(element).Name, named: true, array: true);
        for (var j = 0; j < list.Count; j++)
        {
            if (list[j] is Base b)
            {
                pending.Open(default, named: false, array: false);
                WriteMembers(w, pending, b);
                pending.Close(w);
            }
        }

        pending.Close(w);
    }

    private static void WritePrimitive(Utf8JsonWriter w, PendingStarts pending, in ElementNames names, PrimitiveType p)
    {
        var value = p.RawValue;  // read once
        if (IsWritable(value))
        {
            pending.WriteStarts(w);
            w.WritePropertyName(names.Name);
            WritePrimitiveValue(w, p.TypeInfo, value);
        }

        if (HasMetadata(p))
        {
            pending.WriteStarts(w);
            w.WritePropertyName(names.Companion);
            WriteMetadata(w, pending, p);
        }
    }

    private static void WritePrimitiveList(Utf8JsonWriter w, PendingStarts pending, in ElementNames names, IList list)
    {
        bool anyValue = false, anyMetadata = false;
        for (var j = 0; j < list.Count; j++)
        {
            if (list[j] is PrimitiveType p)
            {
                anyValue |= HasWritableValue(p);
                anyMetadata |= HasMetadata(p);
            }
        }

        if (anyValue || anyMetadata)
        {
            pending.WriteStarts(w);
        }

        if (anyValue)
        {
            w.WriteStartArray(names.Name);
            for (var j = 0; j < list.Count; j++)
            {
                if (list[j] is not PrimitiveType p)
                {
                    continue;
                }

                var value = p.RawValue;
                if (IsWritable(value))
                {
                    WritePrimitiveValue(w, p.TypeInfo, value);
                }
                else if (HasMetadata(p))
                {
                    w.WriteNullValue();
                }
            }

            w.WriteEndArray();
        }

        if (anyMetadata)
        {
            w.WriteStartArray(names.Companion);
            for (var j = 0; j < list.Count; j++)
            {
                if (list[j] is not PrimitiveType p)
                {
                    continue;
                }

                if (HasMetadata(p))
                {
                    WriteMetadata(w, pending, p);
                }
                else if (HasWritableValue(p))
                {
                    w.WriteNullValue();
                }
            }

            w.WriteEndArray();
        }
    }

    /// <summary>Writes <paramref name="value"/>, the value a primitive of <paramref name="type"/> holds, read once by the caller.</summary>
    private static void WritePrimitiveValue(Utf8JsonWriter w, FhirTypeInfo type, object? value)
    {
        // Held as UTF-8 (as read), or as escaped JSON text of the input: written as it is, never decoded to a string.
        if (Utf8Slice.TryGetBytes(value, out var utf8))
        {
            if (type.PrimitiveKind == PrimitiveKind.Decimal)
            {
                w.WriteRawValue(utf8, skipInputValidation: true);
            }
            else
            {
                JsonStringWriter.WriteStringValue(w, utf8);
            }

            return;
        }

        if (value is Utf8Slice escaped)
        {
            JsonStringWriter.WriteStringValue(w, escaped);
            return;
        }

        switch (value)
        {
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case string s when type.PrimitiveKind == PrimitiveKind.Decimal:
                // Exact text; it came from a JSON number or was checked by FhirDecimal.
                w.WriteRawValue(s, skipInputValidation: true);
                break;
            case string s:
                JsonStringWriter.WriteStringValue(w, s);
                break;
            case var v:
                throw new InvalidOperationException($"A {type.Name} holds a {v!.GetType().Name}.");
        }
    }

    /// <summary>The <c>_name</c> object of a primitive: its id and extensions.</summary>
    private static void WriteMetadata(Utf8JsonWriter w, PendingStarts pending, PrimitiveType p)
    {
        var elements = p.TypeInfo.Elements;
        w.WriteStartObject();
        if (p.GetValue(elements[0]) is string { Length: > 0 } id)
        {
            JsonStringWriter.WriteString(w, Names.Of(elements[0]).Name, id);
        }

        if (p.GetValue(elements[1]) is IList extensions)
        {
            WriteList(w, pending, elements[1], extensions);
        }

        w.WriteEndObject();
    }

    private static bool HasWritableValue(PrimitiveType p) => IsWritable(p.RawValue);

    /// <summary>A primitive's raw value is written unless absent or a string of no characters (FHIR forbids empty strings).</summary>
    private static bool IsWritable(object? value) => value is not (null or "" or byte[] { Length: 0 } or Utf8Slice { Length: 0 });

    private static bool HasMetadata(PrimitiveType p)
    {
        if (!p.HasOwnSlots)
        {
            return false;  // the common case: a primitive without id or extension has no slot array
        }

        var elements = p.TypeInfo.Elements;
        return p.GetValue(elements[0]) is string { Length: > 0 } || (p.GetValue(elements[1]) is IList list && AnyContent(list));
    }

    /// <summary>Whether writing this element produces anything (FHIR forbids empty objects).</summary>
    internal static bool HasContent(Base b)
    {
        if (b is PrimitiveType p)
        {
            return HasWritableValue(p) || HasMetadata(p);
        }

        if (b.TypeInfo.Kind == TypeKind.Resource)
        {
            return true;  // resourceType alone is content
        }

        var (_, slots) = b.SlotLayout;
        for (var k = 1; k < slots.Length; k++)
        {
            var slot = slots[k];
            switch (slot)
            {
                case null:
                case string { Length: 0 }:
                case byte[] { Length: 0 }:
                case Utf8Slice { Length: 0 }:
                    break;
                case byte[]:
                    return true;  // a bare value's UTF-8, not a list
                case Base child:
                    if (HasContent(child))
                    {
                        return true;
                    }

                    break;
                case IList list:
                    if (AnyContent(list))
                    {
                        return true;
                    }

                    break;
                default:
                    return true;
            }
        }

        return false;
    }

    private static bool AnyContent(IList list)
    {
        for (var j = 0; j < list.Count; j++)
        {
            if (list[j] is Base b && HasContent(b))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonEncodedText TypeName(FhirTypeInfo type) => Names.TypeName(type);
}
