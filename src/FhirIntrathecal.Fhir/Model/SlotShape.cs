namespace FhirIntrathecal.Fhir.Model;

/// <summary>
/// Which elements of an instance hold a slot, and where: an instance's slot array is this shape followed by one slot per
/// present element, in element order, so an instance pays only for what it holds. Shapes are immutable and shared by
/// every instance (of any type) with the same element count and the same present elements; adding an element moves an
/// instance to the next shape through a per-shape transition cache that threads extend without locks. The number of
/// shapes is bounded: past <see cref="MaxShapes"/> a transition leads to the dense shape (every element present), which
/// is always correct, only larger.
/// </summary>
internal sealed class SlotShape
{
    /// <summary>The most shapes made (beyond the empty and dense ones): bounds the memory an input can make us keep.</summary>
    internal const int MaxShapes = 1 << 15;

    /// <summary>The most elements a type may have: positions are bytes.</summary>
    internal const int MaxElements = byte.MaxValue - 1;

    private static readonly SlotShape?[] s_empty = new SlotShape?[MaxElements + 1];
    private static readonly SlotShape?[] s_dense = new SlotShape?[MaxElements + 1];
    private static int s_count;

    // Every shape made by a transition, by its positions: a set of elements has one shape whatever order it was reached in.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SlotShape> s_shapes = new(StringComparer.Ordinal);

    // Transitions: _next[i] is this shape plus element i, made on first use.
    private SlotShape?[]? _next;

    private SlotShape(byte[] positions)
    {
        Positions = positions;
        var indices = new byte[positions.Count(p => p != 0)];
        for (var i = 0; i < positions.Length; i++)
        {
            if (positions[i] != 0)
            {
                indices[positions[i] - 1] = (byte)i;
            }
        }

        Indices = indices;
        EmptySlots = indices.Length == 0 ? [this] : [];
    }

    /// <summary>Per element index: 0 when the element has no slot, else its slot's position in the slot array (1-based).</summary>
    internal byte[] Positions { get; }

    /// <summary>The element indices with a slot, ascending: the element of slot array position k + 1 is Indices[k].</summary>
    internal byte[] Indices { get; }

    /// <summary>For the shape without slots: the one slot array every instance without values shares (never written).</summary>
    internal object?[] EmptySlots { get; }

    /// <summary>How many shapes have been made so far (for tests of the bound).</summary>
    internal static int Count => Volatile.Read(ref s_count);

    /// <summary>The shape of a slot array: its slot 0, always a SlotShape (only Base and this class write it), so unchecked.</summary>
    internal static SlotShape Of(object?[] slots) => System.Runtime.CompilerServices.Unsafe.As<SlotShape>(slots[0]!);

    /// <summary>The shape of an instance with no value, for a type of <paramref name="elementCount"/> elements.</summary>
    internal static SlotShape Empty(int elementCount) =>
        Volatile.Read(ref s_empty[Check(elementCount)]) ?? Publish(ref s_empty[elementCount], new SlotShape(new byte[elementCount]));

    /// <summary>The shape with every element present (the parsers' scratch layout, and the fallback past the bound).</summary>
    internal static SlotShape Dense(int elementCount)
    {
        if (Volatile.Read(ref s_dense[Check(elementCount)]) is { } dense)
        {
            return dense;
        }

        var positions = new byte[elementCount];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = (byte)(i + 1);
        }

        return Publish(ref s_dense[elementCount], new SlotShape(positions));
    }

    /// <summary>The shape of an instance with <paramref name="index"/> present as well (this one if it already is).</summary>
    internal SlotShape With(int index)
    {
        if (Positions[index] != 0)
        {
            return this;
        }

        var next = Volatile.Read(ref _next) ?? Publish(ref _next, new SlotShape?[Positions.Length]);
        if (Volatile.Read(ref next[index]) is { } known)
        {
            return known;
        }

        // A new transition: the shape of that set of elements may exist already (reached in another order).
        var positions = new byte[Positions.Length];
        byte position = 1;
        for (var i = 0; i < positions.Length; i++)
        {
            if (Positions[i] != 0 || i == index)
            {
                positions[i] = position++;
            }
        }

        var shape = position - 1 == positions.Length ? Dense(positions.Length) : Canonical(positions);
        return Interlocked.CompareExchange(ref next[index], shape, null) ?? shape;
    }

    /// <summary>The one shape of these positions: found, made (within the bound), or the dense shape past it.</summary>
    private static SlotShape Canonical(byte[] positions)
    {
        var key = Convert.ToHexString(positions);
        if (s_shapes.TryGetValue(key, out var known))
        {
            return known;
        }

        if (Interlocked.Increment(ref s_count) > MaxShapes)
        {
            Interlocked.Decrement(ref s_count);
            return Dense(positions.Length);
        }

        var made = new SlotShape(positions);
        var shape = s_shapes.GetOrAdd(key, made);
        if (!ReferenceEquals(shape, made))
        {
            Interlocked.Decrement(ref s_count);  // another thread made it first: theirs is the one
        }

        return shape;
    }

    /// <summary>
    /// A new slot array of this shape holding the slots of <paramref name="from"/> (of a shape this one includes), with
    /// <paramref name="extra"/> more items at its end (a primitive's value).
    /// </summary>
    internal object?[] CopyFrom(object?[] from, int extra = 0)
    {
        var source = Of(from);
        var slots = new object?[Indices.Length + 1 + extra];
        slots[0] = this;
        var indices = source.Indices;
        for (var k = 0; k < indices.Length; k++)
        {
            // A slot this shape lacks can only be empty (it was set, then cleared).
            if (from[k + 1] is { } value)
            {
                slots[Positions[indices[k]]] = value;
            }
        }

        return slots;
    }

    private static int Check(int elementCount) => elementCount is >= 0 and <= MaxElements
        ? elementCount
        : throw new ArgumentOutOfRangeException(nameof(elementCount), elementCount, $"A type has at most {MaxElements} elements.");

    private static T Publish<T>(ref T? location, T made)
        where T : class => Interlocked.CompareExchange(ref location, made, null) ?? made;
}

/// <summary>
/// The parsers' scratch slot arrays: an instance being read holds a dense array (every element a slot, so each value is
/// stored in place) and is compacted to its exact shape when its object ends, so a parse allocates each slot array once.
/// One pool per thread (<see cref="Current"/>), which a reader takes once and uses for the whole parse on that thread
/// (a thread-static lookup per object cost 4 % of a parse); a few arrays per element count (one per nesting level of
/// the same type) are kept.
/// </summary>
internal sealed class SlotScratch
{
    private const int KeptPerCount = 8;

    [ThreadStatic]
    private static SlotScratch? t_current;

    private readonly object?[]?[]?[] _kept = new object?[]?[]?[SlotShape.MaxElements + 1];
    private readonly byte[] _counts = new byte[SlotShape.MaxElements + 1];

    private SlotScratch()
    {
    }

    /// <summary>This thread's pool: used only on this thread.</summary>
    internal static SlotScratch Current => t_current ??= new SlotScratch();

    /// <summary>A dense slot array of <paramref name="elementCount"/> empty slots.</summary>
    internal object?[] Rent(int elementCount)
    {
        if (_counts[elementCount] > 0)
        {
            var kept = _kept[elementCount]!;
            var count = --_counts[elementCount];
            var slots = kept[count]!;
            kept[count] = null;
            return slots;
        }

        var dense = new object?[elementCount + 1];
        dense[0] = SlotShape.Dense(elementCount);
        return dense;
    }

    /// <summary>Takes back a dense array no instance holds any more, its slots already emptied by the caller.</summary>
    internal void Return(object?[] slots)
    {
        var elementCount = slots.Length - 1;
        var kept = _kept[elementCount] ??= new object?[]?[KeptPerCount];
        if (_counts[elementCount] < KeptPerCount)
        {
            kept[_counts[elementCount]++] = slots;
        }
    }
}
