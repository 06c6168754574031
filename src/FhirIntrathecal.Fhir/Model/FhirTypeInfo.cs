using System.Collections.Frozen;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>What a FHIR type is: primitive, complex datatype, resource, backbone component, or a FHIRPath system type.</summary>
public enum TypeKind
{
    /// <summary>A FHIRPath System type (System.String, System.Boolean...) held as a plain .NET value.</summary>
    System,
    Primitive,
    Complex,
    Resource,
    /// <summary>A nested component (BackboneElement or Element) defined inside a resource or datatype.</summary>
    Component,
}

/// <summary>
/// Metadata of one FHIR type, generated from its StructureDefinition. The serializers, FHIRPath and the
/// validator all walk instances through these tables instead of per-class code.
/// </summary>
public sealed class FhirTypeInfo
{
    // The name tables, built on first use: a process looks names up in a few dozen of the ~1,000 types, and building
    // them all when the model loads was most of its start-up time once the generated table stopped costing JIT time.
    private Lookups? _lookups;

    internal FhirTypeInfo(string name, TypeKind kind, bool isAbstract, Type clrType, Func<Base>? factory, string? baseName)
    {
        Name = name;
        Kind = kind;
        IsAbstract = isAbstract;
        ClrType = clrType;
        Factory = factory;
        BaseName = baseName;
        ChoiceSuffix = name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>The FHIR name: <c>Patient</c>, <c>HumanName</c>, <c>dateTime</c>, <c>Patient.contact</c>, <c>System.String</c>.</summary>
    public string Name { get; }

    public TypeKind Kind { get; }

    public bool IsAbstract { get; }

    public Type ClrType { get; }

    /// <summary>The type this one specializes (Patient → DomainResource), or null at the root.</summary>
    public FhirTypeInfo? Base { get; private set; }

    /// <summary>All elements, inherited ones first, in the order the specification defines (also the serialization order).</summary>
    public IReadOnlyList<ElementInfo> Elements { get; private set; } = [];

    /// <summary>The suffix this type gives a choice element: <c>value</c> + <c>Quantity</c>.</summary>
    public string ChoiceSuffix { get; }

    public bool IsPrimitive => Kind == TypeKind.Primitive;

    public bool IsResource => Kind == TypeKind.Resource;

    internal string? BaseName { get; }

    internal Func<Base>? Factory { get; }

    /// <summary>How a primitive's value is held and written in JSON (decided by its root primitive type).</summary>
    internal PrimitiveKind PrimitiveKind => _primitiveKind ??= ComputePrimitiveKind();

    private PrimitiveKind? _primitiveKind;

    private PrimitiveKind ComputePrimitiveKind()
    {
        if (Kind != TypeKind.Primitive)
        {
            return PrimitiveKind.None;
        }

        var root = this;
        while (root.Base is { Kind: TypeKind.Primitive } b)
        {
            root = b;
        }

        return root.Name switch
        {
            "boolean" => PrimitiveKind.Boolean,
            "integer" => PrimitiveKind.Integer,
            "decimal" => PrimitiveKind.Decimal,
            _ => PrimitiveKind.String,
        };
    }

    /// <summary>Creates an empty <c>List&lt;T&gt;</c> of this type's CLR type, for repeating elements (room for <paramref name="capacity"/> items).</summary>
    internal System.Collections.IList CreateList(int capacity = 0) => ListFactories.Create(capacity);

    /// <summary>
    /// A <c>List&lt;T&gt;</c> of this type's CLR type holding the non-null <paramref name="items"/> (each of this type), in
    /// order, at its exact size: one typed copy instead of an interface call and a type check per item.
    /// </summary>
    internal System.Collections.IList CreateList(ReadOnlySpan<object?> items) => ListFactories.Gather(items);

    private ListFactory? _listFactories;

    private ListFactory ListFactories => _listFactories ??= (ListFactory)Activator.CreateInstance(typeof(ListFactory<>).MakeGenericType(ClrType))!;

    private abstract class ListFactory
    {
        public abstract System.Collections.IList Create(int capacity);

        public abstract System.Collections.IList Gather(ReadOnlySpan<object?> items);
    }

    private sealed class ListFactory<T> : ListFactory
    {
        public override System.Collections.IList Create(int capacity) => new List<T>(capacity);

        public override System.Collections.IList Gather(ReadOnlySpan<object?> items)
        {
            var present = 0;
            foreach (var item in items)
            {
                present += item is null ? 0 : 1;
            }

            var list = new List<T>(present);
            System.Runtime.InteropServices.CollectionsMarshal.SetCount(list, present);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
            var k = 0;
            foreach (var item in items)
            {
                if (item is not null)
                {
                    span[k++] = (T)item;  // of this type by contract: a checked cast, never a conversion
                }
            }

            return list;
        }
    }

    /// <summary>Creates an empty instance; throws for abstract types.</summary>
    public Base CreateInstance() =>
        Factory?.Invoke() ?? throw new InvalidOperationException($"FHIR type '{Name}' is abstract.");

    /// <summary>The element with this name (choice elements by their bare name, <c>value</c>).</summary>
    public ElementInfo? GetElement(string name) => Names.ByName.GetValueOrDefault(name);

    /// <summary>Resolves a serialized property name (<c>valueQuantity</c>, <c>birthDate</c>) to its element and, for choices, the chosen type.</summary>
    public bool TryGetByJsonName(ReadOnlySpan<char> jsonName, out ElementInfo element, out FhirTypeInfo? choiceType) =>
        Unpack(Names.ByJsonNameSpan.TryGetValue(jsonName, out var hit), hit, out element, out choiceType);

    /// <summary>The same lookup by the UTF-8 bytes of the name, as a JSON reader sees it (no decoding to characters).</summary>
    public bool TryGetByJsonName(ReadOnlySpan<byte> utf8JsonName, out ElementInfo element, out FhirTypeInfo? choiceType) =>
        Unpack(Names.ByUtf8Name.TryGetValue(utf8JsonName, out var hit), hit, out element, out choiceType);

    private static bool Unpack(bool found, ChoiceName hit, out ElementInfo element, out FhirTypeInfo? choiceType)
    {
        element = hit.Element;
        choiceType = hit.Type;
        return found;
    }

    /// <summary>The repeating elements of primitive type (the JSON reader checks their null items once the object is read).</summary>
    internal ElementInfo[] PrimitiveListElements { get; private set; } = [];

    /// <summary>True when this type is <paramref name="other"/> or derives from it.</summary>
    public bool IsA(FhirTypeInfo other)
    {
        for (var t = this; t is not null; t = t.Base)
        {
            if (ReferenceEquals(t, other))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Name;

    internal void Complete(FhirTypeInfo? baseType, IReadOnlyList<ElementInfo> elements)
    {
        Base = baseType;
        Elements = elements;
        _lookups = null;
        PrimitiveListElements = [.. elements.Where(e => e.IsList && e.Types[0].Kind == TypeKind.Primitive)];
    }

    private Lookups Names => _lookups ?? MakeLookups();

    private Lookups MakeLookups()
    {
        var made = new Lookups(Elements);
        return Interlocked.CompareExchange(ref _lookups, made, null) ?? made;
    }

    private readonly record struct ChoiceName(ElementInfo Element, FhirTypeInfo? Type);

    /// <summary>A type's element names: by element name, and by serialized name (choices by each type's name) as characters and UTF-8.</summary>
    private sealed class Lookups
    {
        public Lookups(IReadOnlyList<ElementInfo> elements)
        {
            ByName = elements.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
            var json = new Dictionary<string, ChoiceName>(StringComparer.Ordinal);
            foreach (var e in elements)
            {
                if (e.IsChoice)
                {
                    foreach (var t in e.Types)
                    {
                        json[e.Name + t.ChoiceSuffix] = new ChoiceName(e, t);
                    }
                }
                else
                {
                    json[e.Name] = new ChoiceName(e, null);
                }
            }

            ByJsonNameSpan = json.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            ByUtf8Name = new Utf8Table<ChoiceName>([.. json.Select(p => KeyValuePair.Create(System.Text.Encoding.UTF8.GetBytes(p.Key), p.Value))]);
        }

        public FrozenDictionary<string, ElementInfo> ByName { get; }

        public FrozenDictionary<string, ChoiceName>.AlternateLookup<ReadOnlySpan<char>> ByJsonNameSpan { get; }

        public Utf8Table<ChoiceName> ByUtf8Name { get; }
    }
}

/// <summary>The .NET shape of a primitive's value: bool, int, exact decimal text, or string.</summary>
internal enum PrimitiveKind
{
    None,
    Boolean,
    Integer,
    Decimal,
    String,
}
