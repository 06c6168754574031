using System.Collections.Frozen;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>The R4 type system: every generated type's metadata, built once from the generated table.</summary>
public static class ModelInfo
{
    // Declared before ByName: static fields initialize in order.
    private static readonly (string Name, Type Clr)[] SystemTypes =
    [
        ("System.String", typeof(string)),
        ("System.Boolean", typeof(bool)),
        ("System.Integer", typeof(int)),
        ("System.Decimal", typeof(string)),
        ("System.Date", typeof(string)),
        ("System.DateTime", typeof(string)),
        ("System.Time", typeof(string)),
    ];

    private static readonly FrozenDictionary<string, FhirTypeInfo> ByName = Build();
    private static readonly FrozenDictionary<Type, FhirTypeInfo> ByClr = ByName.Values.Where(t => t.Kind != TypeKind.System).ToFrozenDictionary(t => t.ClrType);

    public const string FhirVersion = "4.0.1";

    /// <summary>All types, including System types and components.</summary>
    public static IEnumerable<FhirTypeInfo> Types => ByName.Values;

    /// <summary>Concrete resource types (Patient, Observation...).</summary>
    public static IEnumerable<FhirTypeInfo> ResourceTypes => ByName.Values.Where(t => t.Kind == TypeKind.Resource && !t.IsAbstract);

    /// <summary>A type by FHIR name (<c>Patient</c>, <c>dateTime</c>, <c>Patient.contact</c>, <c>System.String</c>).</summary>
    public static FhirTypeInfo? GetTypeInfo(string name) => ByName.GetValueOrDefault(name);

    public static FhirTypeInfo? GetTypeInfo(Type clrType) => ByClr.GetValueOrDefault(clrType);

    /// <summary>A concrete resource type by name, or null (abstract types and datatypes are not resources one can instantiate).</summary>
    public static FhirTypeInfo? GetResourceType(string name) =>
        ByName.TryGetValue(name, out var t) && t.Kind == TypeKind.Resource && !t.IsAbstract ? t : null;

    internal static FhirTypeInfo GetRequired(string name) =>
        ByName.TryGetValue(name, out var t) ? t : throw new InvalidOperationException($"Unknown FHIR type '{name}'.");

    private static FrozenDictionary<string, FhirTypeInfo> Build()
    {
        var defs = ModelInfoTable.Types();
        var types = new Dictionary<string, FhirTypeInfo>(StringComparer.Ordinal);
        foreach (var (name, clr) in SystemTypes)
        {
            var t = new FhirTypeInfo(name, TypeKind.System, false, clr, null, null);
            t.Complete(null, []);
            types[name] = t;
        }

        foreach (var d in defs)
        {
            types[d.Name] = new FhirTypeInfo(d.Name, d.Kind, d.IsAbstract, d.ClrType, d.Factory, d.BaseName);
        }

        var byName = defs.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var done = new Dictionary<string, List<ElementInfo>>(StringComparer.Ordinal);
        foreach (var d in defs)
        {
            Complete(d.Name);
        }

        return types.ToFrozenDictionary(StringComparer.Ordinal);

        List<ElementInfo> Complete(string name)
        {
            if (done.TryGetValue(name, out var ready))
            {
                return ready;
            }

            var def = byName[name];
            var info = types[name];
            var elements = def.BaseName is null ? [] : new List<ElementInfo>(Complete(def.BaseName));
            var basePath = name;
            foreach (var e in def.ParseElements())
            {
                var elementTypes = e.Types.Split('|').Select(n => types[n]).ToArray();
                elements.Add(new ElementInfo(
                    e.Name,
                    elements.Count,
                    e.Min,
                    e.Max < 0 ? int.MaxValue : e.Max,
                    elementTypes,
                    (e.Flags & F.Choice) != 0,
                    (e.Flags & F.Modifier) != 0,
                    (e.Flags & F.Summary) != 0,
                    (e.Flags & F.Xhtml) != 0 ? XmlRepresentation.Xhtml : (e.Flags & F.XmlAttribute) != 0 ? XmlRepresentation.Attribute : XmlRepresentation.Element,
                    basePath + "." + e.Name + ((e.Flags & F.Choice) != 0 ? "[x]" : "")));
            }

            info.Complete(def.BaseName is null ? null : types[def.BaseName], elements);
            done[name] = elements;
            return elements;
        }
    }

}

/// <summary>Element flags in the generated table.</summary>
[Flags]
internal enum F
{
    None = 0,
    Choice = 1,
    Modifier = 2,
    Summary = 4,
    XmlAttribute = 8,
    Xhtml = 16,
}

/// <summary>One type of the generated table; <paramref name="ElementTable"/> is its own elements as data (see <see cref="ElementDef.ParseAll"/>).</summary>
internal sealed record TypeDef(string Name, TypeKind Kind, bool IsAbstract, Type ClrType, Func<Base>? Factory, string? BaseName, string ElementTable)
{
    /// <summary>Reads <see cref="ElementTable"/> (each call reads it again: the model reads it once per type).</summary>
    public ElementDef[] ParseElements() => ElementDef.ParseAll(ElementTable);
}

internal sealed record ElementDef(string Name, int Min, int Max, string Types, F Flags)
{
    /// <summary>
    /// Reads a generated element table: elements separated by ';', each "name min max types flags" (max '*' when
    /// unbounded, types separated by '|', flags letters C choice, M modifier, S summary, A XML attribute, X xhtml, or '-').
    /// Generated and checked by the drift test, so a malformed table is a build defect, reported as such.
    /// </summary>
    public static ElementDef[] ParseAll(string table)
    {
        if (table.Length == 0)
        {
            return [];
        }

        var items = table.Split(';');
        var defs = new ElementDef[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var parts = items[i].Split(' ');
            if (parts.Length != 5)
            {
                throw new InvalidOperationException($"Malformed generated element '{items[i]}'.");
            }

            var flags = F.None;
            foreach (var c in parts[4])
            {
                flags |= c switch
                {
                    'C' => F.Choice,
                    'M' => F.Modifier,
                    'S' => F.Summary,
                    'A' => F.XmlAttribute,
                    'X' => F.Xhtml,
                    '-' => F.None,
                    _ => throw new InvalidOperationException($"Malformed generated element flags '{parts[4]}'."),
                };
            }

            var max = parts[2] == "*" ? -1 : int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            defs[i] = new ElementDef(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), max, parts[3], flags);
        }

        return defs;
    }
}
