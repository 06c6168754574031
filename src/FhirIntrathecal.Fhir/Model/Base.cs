using System.Collections;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>
/// The root of every FHIR instance. Element values live in a slot array indexed by <see cref="ElementInfo.Index"/>,
/// so generic code (serializers, FHIRPath, validator, copy, equality) needs no per-class code: generated properties
/// are one-line views onto the slots.
/// </summary>
public abstract class Base
{
    private protected readonly object?[] Slots;

    private protected Base(int slotCount) => Slots = new object?[slotCount];

    /// <summary>This instance's FHIR type.</summary>
    public abstract FhirTypeInfo TypeInfo { get; }

    /// <summary>The raw slot: a <see cref="Base"/>, a list of them, a .NET value for system-typed elements, or null.</summary>
    public object? GetValue(ElementInfo element) => Slots[element.Index];

    /// <summary>Sets the raw slot; the value must be of the element's CLR shape (list elements take a List&lt;T&gt;).</summary>
    public void SetValue(ElementInfo element, object? value) => Slots[element.Index] = value;

    /// <summary>True when no element holds anything (lists empty, primitives without value, id or extensions).</summary>
    public bool IsEmpty
    {
        get
        {
            foreach (var s in Slots)
            {
                if (s is not null && !(s is IList l && l.Count == 0))
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
            switch (Slots[i])
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
        for (var i = 0; i < Slots.Length; i++)
        {
            copy.Slots[i] = Slots[i] switch
            {
                null => null,
                Base b => b.DeepCopy(),
                IList list => CopyList(list),
                var v => v,
            };
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

        return true;
    }

    /// <summary>Direct slot access for the serializers' hot paths.</summary>
    internal object?[] SlotArray => Slots;

    private protected List<T> GetList<T>(int index) => (List<T>)(Slots[index] ??= new List<T>());

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
