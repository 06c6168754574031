using System.Collections;
using System.Globalization;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// Implicit conversion of FHIR elements to System values (the spec's "FHIR primitives are System values"), plus the
/// singleton-evaluation rules used by operators and functions.
/// </summary>
internal static class Values
{
    private static readonly FhirTypeInfo DecimalType = ModelInfo.GetTypeInfo("decimal")!;
    private static readonly FhirTypeInfo DateType = ModelInfo.GetTypeInfo("date")!;
    private static readonly FhirTypeInfo DateTimeType = ModelInfo.GetTypeInfo("dateTime")!;
    private static readonly FhirTypeInfo InstantType = ModelInfo.GetTypeInfo("instant")!;
    private static readonly FhirTypeInfo TimeType = ModelInfo.GetTypeInfo("time")!;
    private static readonly FhirTypeInfo QuantityType = ModelInfo.GetTypeInfo("Quantity")!;

    public static readonly IReadOnlyList<object> True = [true];
    public static readonly IReadOnlyList<object> False = [false];

    public static IReadOnlyList<object> Bool(bool value) => value ? True : False;

    public static IReadOnlyList<object> Bool(bool? value) => value is { } b ? Bool(b) : [];

    /// <summary>
    /// The System value of an item: FHIR primitives become bool/long/decimal/string/date-time values, FHIR Quantity
    /// becomes <see cref="FhirPathQuantity"/>; other elements stay as they are. Null for a primitive without a value.
    /// </summary>
    public static object? ToSystem(object item)
    {
        switch (item)
        {
            case PrimitiveType p:
                return p.ObjectValue switch
                {
                    null => null,
                    bool b => b,
                    int i => (long)i,
                    string s => FromLexical(p.TypeInfo, s),
                    var v => v,
                };
            case Base b when b.TypeInfo.IsA(QuantityType):
                return ToQuantity(b);
            case int i:
                return (long)i;
            default:
                return item;
        }
    }

    private static object FromLexical(FhirTypeInfo type, string s)
    {
        if (type.IsA(DecimalType))
        {
            return decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : s;
        }

        if (type.IsA(DateType))
        {
            return FhirPathDate.TryParse(s, out var date) ? date! : s;
        }

        if (type.IsA(DateTimeType) || type.IsA(InstantType))
        {
            return FhirPathDateTime.TryParse(s, out var dt) ? dt! : s;
        }

        if (type.IsA(TimeType))
        {
            return FhirPathTime.TryParse(s, out var t) ? t! : s;
        }

        return s;
    }

    private static FhirPathQuantity? ToQuantity(Base b)
    {
        var q = (Quantity)b;
        if (q.Value?.Lexical is not { } lexical || !decimal.TryParse(lexical, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var code = q.Code?.ObjectValue as string;
        var system = q.System?.ObjectValue as string;
        var unit = code is not null && (system is null or "http://unitsofmeasure.org") ? code : q.Unit?.ObjectValue as string ?? code ?? "1";
        return new FhirPathQuantity(value, unit);
    }

    /// <summary>The single item of a collection as a System value, null when empty; more than one item is an error.</summary>
    public static object? Singleton(IReadOnlyList<object> collection, string what) => collection.Count switch
    {
        0 => null,
        1 => ToSystem(collection[0]),
        _ => throw new FhirPathRuntimeError($"{what} needs a single item but got a collection of {collection.Count}"),
    };

    public static long? SingletonInteger(IReadOnlyList<object> collection, string what) => Singleton(collection, what) switch
    {
        null => null,
        long l => l,
        var o => throw new FhirPathRuntimeError($"{what} needs an Integer, not {Typing.TypeName(o)}"),
    };

    /// <summary>
    /// Singleton evaluation in a Boolean context: empty → null, a single Boolean → its value, any other single item → true;
    /// more than one item is an error.
    /// </summary>
    public static bool? SingletonBoolean(IReadOnlyList<object> collection, string what) => Singleton(collection, what) switch
    {
        null => collection.Count == 1 ? true : null,
        bool b => b,
        _ => true,
    };

    /// <summary>Converts a host value (single item, enumerable, null) to a collection.</summary>
    public static IReadOnlyList<object> ToCollection(object? value)
    {
        switch (value)
        {
            case null:
                return [];
            case string or Base:
                return [Normalize(value)];
            case IEnumerable e:
                var list = new List<object>();
                foreach (var v in e)
                {
                    if (v is not null)
                    {
                        list.Add(Normalize(v));
                    }
                }

                return list;
            default:
                return [Normalize(value)];
        }
    }

    /// <summary>Host .NET values in FHIRPath form: int → long, double → decimal, DateTimeOffset → DateTime.</summary>
    public static object Normalize(object value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        double d => (decimal)d,
        float f => (decimal)f,
        DateTimeOffset dto => FhirPathDateTime.FromDateTimeOffset(dto),
        DateTime dt => FhirPathDateTime.FromDateTimeOffset(new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt)),
        _ => value,
    };

    /// <summary>Decimal formatting that keeps the value's scale (1.50 stays "1.50").</summary>
    public static string Format(decimal d)
    {
        var text = d.ToString(CultureInfo.InvariantCulture);
        return d == 0 && decimal.IsNegative(d) && !text.StartsWith('-') ? "-" + text : text;
    }
}
