using System.Collections;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>
/// The root of every FHIR instance. Element values live in a slot array indexed by <see cref="ElementInfo.Index"/>,
/// so generic code (serializers, FHIRPath, validator, copy, equality) needs no per-class code: generated properties
/// are one-line views onto the slots.
/// </summary>
public abstract class Base
{
    /// <summary>
    /// The slot count a primitive passes: a primitive is one object (its value in a field of <see cref="PrimitiveType"/>),
    /// sharing <see cref="NoMetadata"/> as its id/extension slots until one of them is set.
    /// </summary>
    private protected const int PrimitiveSlots = -1;

    /// <summary>The id/extension slots of every primitive without either: shared, never written (writes copy first).</summary>
    private static readonly object?[] NoMetadata = new object?[2];

    // Not readonly: a primitive replaces the shared NoMetadata array on its first id/extension write.
    private protected object?[] Slots;

    private protected Base(int slotCount) => Slots = slotCount == PrimitiveSlots ? NoMetadata : new object?[slotCount];

    /// <summary>This instance's FHIR type.</summary>
    public abstract FhirTypeInfo TypeInfo { get; }

    /// <summary>The raw slot: a <see cref="Base"/>, a list of them, a .NET value for system-typed elements, or null.</summary>
    public object? GetValue(ElementInfo element) => GetSlot(element.Index);

    /// <summary>Sets the raw slot; the value must be of the element's CLR shape (list elements take a List&lt;T&gt;).</summary>
    public void SetValue(ElementInfo element, object? value) => SetSlot(element.Index, value);

    /// <summary>How many slots this instance has: its type's element count (a primitive's value included).</summary>
    private int SlotCount => this is PrimitiveType ? PrimitiveType.ValueSlot + 1 : Slots.Length;

    /// <summary>A slot by index; past the id/extension slots of a primitive, its value.</summary>
    private protected object? GetSlot(int index)
    {
        var slots = Slots;
        return (uint)index < (uint)slots.Length ? slots[index] : ((PrimitiveType)this).ObjectValue;
    }

    /// <summary>A slot by index as stored: a primitive's value not decoded from UTF-8 (see <see cref="PrimitiveType.RawValue"/>).</summary>
    private object? GetRawSlot(int index)
    {
        var slots = Slots;
        return (uint)index < (uint)slots.Length ? slots[index] : ((PrimitiveType)this).RawValue;
    }

    private protected void SetSlot(int index, object? value)
    {
        if (index >= Slots.Length)
        {
            ((PrimitiveType)this).ObjectValue = value;
            return;
        }

        if (ReferenceEquals(Slots, NoMetadata))
        {
            if (value is null)
            {
                return;
            }

            Slots = new object?[NoMetadata.Length];
        }

        Slots[index] = value;
    }

    /// <summary>True when no element holds anything (lists empty, primitives without value, id or extensions).</summary>
    public bool IsEmpty
    {
        get
        {
            for (var i = 0; i < SlotCount; i++)
            {
                if (GetRawSlot(i) is { } s && !(s is IList l && l.Count == 0))
                {
                    return false;
                }
            }

            return true;
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
        for (var i = 0; i < SlotCount; i++)
        {
            var value = GetRawSlot(i) switch
            {
                null => null,
                Base b => b.DeepCopy(),
                byte[] utf8 => utf8,  // a primitive's UTF-8 value: immutable, shared
                IList list => CopyList(list),
                var v => v,
            };
            if (i < Slots.Length)
            {
                copy.SetSlot(i, value);
            }
            else
            {
                ((PrimitiveType)copy).RawValue = value;
            }
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

        for (var i = 0; i < Slots.Length; i++)
        {
            if (!SlotEquals(Slots[i], other.Slots[i]))
            {
                return false;
            }
        }

        return this is not PrimitiveType p || p.ValueEquals((PrimitiveType)other);
    }

    /// <summary>Direct slot access for the serializers' hot paths (a primitive's: its id and extension only).</summary>
    internal object?[] SlotArray => Slots;

    private protected List<T> GetList<T>(int index)
    {
        if (Slots[index] is List<T> list)
        {
            return list;
        }

        list = [];
        SetSlot(index, list);
        return list;
    }

    private static IList CopyList(IList list)
    {
        var copy = (IList)Activator.CreateInstance(list.GetType(), list.Count)!;
        foreach (var item in list)
        {
            copy.Add(item is Base b ? b.DeepCopy() : item);
        }

        return copy;
    }

    private static bool SlotEquals(object? a, object? b)
    {
        if (a is IList { Count: 0 })
        {
            a = null;
        }

        if (b is IList { Count: 0 })
        {
            b = null;
        }

        switch (a)
        {
            case null:
                return b is null;
            case Base ba:
                return ba.IsExactly(b as Base);
            case IList la when b is IList lb:
                if (la.Count != lb.Count)
                {
                    return false;
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (!SlotEquals(la[i], lb[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return a.Equals(b);
        }
    }
}

/// <summary>One present child value: the element, the value, and its position when the element repeats (-1 otherwise).</summary>
public readonly record struct ElementValue(ElementInfo Element, object Value, int ListIndex);
