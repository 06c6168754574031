using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>
/// The root of every FHIR instance. Element values live in a slot array addressed by <see cref="ElementInfo.Index"/>,
/// so generic code (serializers, FHIRPath, validator, copy, equality) needs no per-class code: generated properties
/// are one-line views onto the slots. The array holds only the present elements: its first item is the instance's
/// <see cref="SlotShape"/> (shared, immutable: which elements have a slot, and where), then those slots in element
/// order. An instance without values shares its shape's empty array; setting an element without a slot moves the
/// instance to the next shape (a new array one slot longer); the parsers fill a dense scratch array and compact it once.
/// </summary>
public abstract class Base
{
    /// <summary>
    /// The slot count a primitive passes: a primitive is one object of one field, holding its value itself until an id
    /// or extension is set; then a slot array for them, whose last item is the value.
    /// </summary>
    private protected const int PrimitiveSlots = -1;

    // The slots of a primitive without id or extension: its id/extension shape, no slot.
    private static readonly object?[] NoMetadata = SlotShape.Empty(PrimitiveType.ValueSlot).EmptySlots;

    // A complex instance: its slot array ([0] its SlotShape, then one slot per element the shape includes; replaced,
    // never resized, when the shape changes). A primitive: its value, or a slot array as above plus the value at the end.
    private object? _data;

    private protected Base(int slotCount) => _data = slotCount == PrimitiveSlots ? null : SlotShape.Empty(slotCount).EmptySlots;

    // A primitive's value is never an object?[] (string, bool, int or UTF-8 bytes), so the type tells the two apart. An
    // exact type test: a cast to object?[] would go through the runtime's covariant array check for every byte[] value.
    private object?[] Slots => IsSlotArray(_data) ? Unsafe.As<object?[]>(_data) : NoMetadata;

    /// <summary>Where a primitive's value is: its one field, or the last slot once it has an id or extension.</summary>
    private protected ref object? PrimitiveValue
    {
        get
        {
            if (IsSlotArray(_data))
            {
                var slots = Unsafe.As<object?[]>(_data);
                return ref slots[^1];
            }

            return ref _data;
        }
    }

    /// <summary>This instance's FHIR type.</summary>
    public abstract FhirTypeInfo TypeInfo { get; }

    /// <summary>The raw slot: a <see cref="Base"/>, a list of them, a .NET value for system-typed elements, or null.</summary>
    public object? GetValue(ElementInfo element) => GetSlot(element.Index);

    /// <summary>Sets the raw slot; the value must be of the element's CLR shape (list elements take a List&lt;T&gt;).</summary>
    public void SetValue(ElementInfo element, object? value) => SetSlot(element.Index, value);

    private SlotShape Shape => SlotShape.Of(Slots);

    /// <summary>A primitive: whether it has an id/extension slot array at all (without one it has neither).</summary>
    internal bool HasOwnSlots => IsSlotArray(_data);

    /// <summary>
    /// The present slots for the serializers' hot paths: the element index of <c>Values[k + 1]</c> is <c>Indices[k]</c>
    /// (a slot may hold null: set, then cleared). A primitive's are its id and extension only.
    /// </summary>
    internal (byte[] Indices, object?[] Values) SlotLayout
    {
        get
        {
            var slots = Slots;
            return (SlotShape.Of(slots).Indices, slots);
        }
    }

    /// <summary>
    /// A slot by index; past the id/extension slots of a primitive, its value. A bare primitive value (see
    /// <see cref="ElementInfo.HoldsBareValue"/>) is handed out as a primitive, made once: the first reader stores it in
    /// the slot (compare-and-swap), so every reader, on any thread, gets that one object and a change to it lands here.
    /// </summary>
    private protected object? GetSlot(int index)
    {
        var slots = Slots;
        var positions = SlotShape.Of(slots).Positions;
        if ((uint)index < (uint)positions.Length)
        {
            var position = positions[index];
            if (position == 0)
            {
                return null;
            }

            // The exact-type tests first: lists, elements and system strings never reach the element lookup.
            var value = slots[position];
            return IsBare(value) && TypeInfo.Elements[index] is { HoldsBareValue: true } element
                ? Materialize(slots, position, element, value)
                : value;
        }

        return ((PrimitiveType)this).ObjectValue;
    }

    /// <summary>The slot as stored, a bare primitive value left as it is (for readers that handle one: copy, equality, XML).</summary>
    internal object? PeekValue(ElementInfo element)
    {
        var slots = Slots;
        var positions = SlotShape.Of(slots).Positions;
        return (uint)element.Index < (uint)positions.Length
            ? positions[element.Index] is var position and > 0 ? slots[position] : null
            : ((PrimitiveType)this).RawValue;
    }

    /// <summary>
    /// Whether a slot's value may be a bare primitive value: what the JSON parser keeps (see JsonResourceReader) is UTF-8
    /// (an array or a slice of the input), a boxed bool or a boxed int, never a string.
    /// </summary>
    private static bool IsBare([NotNullWhen(true)] object? value) => value is byte[] or Utf8Slice or bool or int;

    private static object? Materialize(object?[] slots, int position, ElementInfo element, object bare)
    {
        var made = (PrimitiveType)element.Type.CreateInstance();
        made.RawValue = bare;
        var prior = Interlocked.CompareExchange(ref slots[position], made, bare);
        return ReferenceEquals(prior, bare) ? made : prior;  // another reader made it first (or it was set meanwhile)
    }

    private protected void SetSlot(int index, object? value)
    {
        var slots = Slots;
        var shape = SlotShape.Of(slots);
        if (index >= shape.Positions.Length)
        {
            ((PrimitiveType)this).ObjectValue = value;
            return;
        }

        var position = shape.Positions[index];
        if (position != 0)
        {
            slots[position] = value;
            return;
        }

        if (value is null)
        {
            return;
        }

        // A primitive's value moves along as the last slot.
        var isPrimitive = this is PrimitiveType;
        var next = shape.With(index);
        var moved = next.CopyFrom(slots, isPrimitive ? 1 : 0);
        moved[next.Positions[index]] = value;
        if (isPrimitive)
        {
            moved[^1] = ReferenceEquals(slots, NoMetadata) ? _data : slots[^1];
        }

        _data = moved;
    }

    /// <summary>
    /// For a parser about to read this instance's elements: its slots move into a pooled dense array, so each value read
    /// is stored in place. <see cref="EndGather"/> compacts them when the object ends (if reading fails in between, the
    /// instance simply keeps the dense array: still correct). Not for a primitive (id and extension are set once each): its
    /// readers know its type and do not call this (a type test per object here cost more than the readers' field test).
    /// </summary>
    internal void BeginGather(SlotScratch scratch)
    {
        System.Diagnostics.Debug.Assert(this is not PrimitiveType, "Primitives gather nothing: their readers do not call this.");
        var slots = Slots;
        var shape = SlotShape.Of(slots);
        var dense = scratch.Rent(shape.Positions.Length);
        var indices = shape.Indices;
        for (var k = 0; k < indices.Length; k++)
        {
            dense[indices[k] + 1] = slots[k + 1];
        }

        _data = dense;
    }

    /// <summary>Ends <see cref="BeginGather"/>: the slots move into an array of their exact shape; the dense one is pooled.</summary>
    internal void EndGather(SlotScratch scratch)
    {
        System.Diagnostics.Debug.Assert(this is not PrimitiveType, "Primitives gather nothing: their readers do not call this.");
        var dense = Slots;
        var shape = SlotShape.Empty(dense.Length - 1);
        for (var i = 1; i < dense.Length; i++)
        {
            if (dense[i] is not null)
            {
                shape = shape.With(i - 1);
            }
        }

        var indices = shape.Indices;
        var slots = indices.Length == 0 ? shape.EmptySlots : new object?[indices.Length + 1];
        for (var k = 0; k < indices.Length; k++)
        {
            slots[k + 1] = dense[indices[k] + 1];
            dense[indices[k] + 1] = null;
        }

        if (indices.Length > 0)
        {
            slots[0] = shape;
        }

        _data = slots;
        scratch.Return(dense);  // emptied above
    }

    /// <summary>True when no element holds anything (lists empty, primitives without value, id or extensions).</summary>
    public bool IsEmpty
    {
        get
        {
            var slots = Slots;
            var end = SlotShape.Of(slots).Indices.Length + 1;
            for (var k = 1; k < end; k++)
            {
                if (slots[k] is { } s && AsList(s) is not { Count: 0 })
                {
                    return false;
                }
            }

            return this is not PrimitiveType p || p.RawValue is null;
        }
    }

    /// <summary>Every present value with its element and (for lists) position, in definition order.</summary>
    public IEnumerable<ElementValue> Children()
    {
        var elements = TypeInfo.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            switch (GetSlot(i))
            {
                case null:
                    break;
                case IList list:
                    for (var j = 0; j < list.Count; j++)
                    {
                        if (list[j] is { } item)
                        {
                            yield return new ElementValue(elements[i], item, j);
                        }
                    }

                    break;
                case var value:
                    yield return new ElementValue(elements[i], value, -1);
                    break;
            }
        }
    }

    /// <summary>A deep copy: nested elements, lists and contained resources are copied, system values shared (they are immutable).</summary>
    public Base DeepCopy()
    {
        var copy = TypeInfo.CreateInstance();
        if (IsSlotArray(_data) && Unsafe.As<object?[]>(_data) is { Length: > 1 } slots)
        {
            // Same type, same shape: the copy's array is laid out as this one.
            var copied = new object?[slots.Length];
            copied[0] = slots[0];
            var end = SlotShape.Of(slots).Indices.Length + 1;
            for (var k = 1; k < end; k++)
            {
                copied[k] = slots[k] switch
                {
                    Base b => b.DeepCopy(),
                    byte[] bare => bare,  // a bare value's UTF-8 (never written to), not a list
                    IList list => CopyList(list),
                    var v => v,
                };
            }

            if (end < slots.Length)
            {
                copied[end] = slots[end];  // a primitive's value: immutable (UTF-8 bytes may be shared)
            }

            copy._data = copied;
        }
        else if (this is PrimitiveType)
        {
            copy._data = _data;  // its value, immutable
        }

        return copy;
    }

    /// <summary>Structural equality of two instances: same type, same values, same order (an empty list equals an absent one).</summary>
    public bool IsExactly(Base? other)
    {
        if (other is null || !ReferenceEquals(TypeInfo, other.TypeInfo))
        {
            return false;
        }

        var (mine, theirs) = (Slots, other.Slots);
        var elements = TypeInfo.Elements;
        if (ReferenceEquals(mine[0], theirs[0]))
        {
            // Same shape: slot by slot (a primitive's value, last, is compared below).
            var indices = SlotShape.Of(mine).Indices;
            for (var k = 0; k < indices.Length; k++)
            {
                if (!SlotEquals(mine[k + 1], theirs[k + 1], elements[indices[k]]))
                {
                    return false;
                }
            }
        }
        else
        {
            // Different shapes (an element set to null keeps its slot; a copy made elsewhere): element by element.
            var count = Shape.Positions.Length;
            for (var i = 0; i < count; i++)
            {
                if (!SlotEquals(PeekValue(elements[i]), other.PeekValue(elements[i]), elements[i]))
                {
                    return false;
                }
            }
        }

        return this is not PrimitiveType p || p.ValueEquals((PrimitiveType)other);
    }

    private protected List<T> GetList<T>(int index)
    {
        if (GetSlot(index) is List<T> list)
        {
            return list;
        }

        list = [];
        SetSlot(index, list);
        return list;
    }

    private static bool IsSlotArray([NotNullWhen(true)] object? data) => data is not null && data.GetType() == typeof(object[]);

    private static IList CopyList(IList list)
    {
        var copy = (IList)Activator.CreateInstance(list.GetType(), list.Count)!;
        foreach (var item in list)
        {
            copy.Add(item is Base b ? b.DeepCopy() : item);
        }

        return copy;
    }

    /// <summary>Equality of two slots of <paramref name="element"/> (or two items of its list), each as stored.</summary>
    private static bool SlotEquals(object? a, object? b, ElementInfo element)
    {
        if (AsList(a) is { Count: 0 })
        {
            a = null;
        }

        if (AsList(b) is { Count: 0 })
        {
            b = null;
        }

        switch (a)
        {
            case null:
                return b is null;
            case Base ba:
                return b is null or Base || AsList(b) is not null ? ba.IsExactly(b as Base) : MatchesBare(ba, b, element);
            case byte[]:
                break;
            case IList la when AsList(b) is { } lb:
                if (la.Count != lb.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!SlotEquals(la[i], lb[i], element))
                    {
                        return false;
                    }
                }

                return true;
            case IList:
                return false;
        }

        // A bare or system value (a byte[] is a bare value's UTF-8, not a list).
        return b is Base bb ? MatchesBare(bb, a, element) : AsList(b) is null && PrimitiveType.RawEquals(a, b);
    }

    /// <summary>A slot's list; null for anything else, including a bare value's UTF-8 bytes (an array, so an IList too).</summary>
    private static IList? AsList(object? slot) => slot is byte[] ? null : slot as IList;

    /// <summary>Whether <paramref name="instance"/> is what the bare value <paramref name="bare"/> of <paramref name="element"/> stands for.</summary>
    private static bool MatchesBare(Base instance, object bare, ElementInfo element) =>
        element.HoldsBareValue && instance is PrimitiveType p && ReferenceEquals(p.TypeInfo, element.Type) && !HasMetadata(p)
        && PrimitiveType.RawEquals(p.RawValue, bare);

    /// <summary>A primitive's id or extensions (an empty list counts as none, as in <see cref="IsExactly"/>).</summary>
    private static bool HasMetadata(PrimitiveType p)
    {
        if (!p.HasOwnSlots)
        {
            return false;
        }

        var elements = p.TypeInfo.Elements;
        return p.PeekValue(elements[0]) is not null || p.PeekValue(elements[1]) is IList { Count: > 0 };
    }
}

/// <summary>One present child value: the element, the value, and its position when the element repeats (-1 otherwise).</summary>
public readonly record struct ElementValue(ElementInfo Element, object Value, int ListIndex);
