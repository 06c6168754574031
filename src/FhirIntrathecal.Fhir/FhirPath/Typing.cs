using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>FHIRPath type names and type tests over System values and FHIR model instances.</summary>
internal static class Typing
{
    private static readonly HashSet<string> SystemNames = new(StringComparer.Ordinal)
    {
        "Boolean", "String", "Integer", "Decimal", "Date", "DateTime", "Time", "Quantity", "Any",
    };

    /// <summary>The System type name of a System value (without namespace), or null for a FHIR instance.</summary>
    public static string? SystemTypeName(object value) => value switch
    {
        bool => "Boolean",
        string => "String",
        long or int => "Integer",
        decimal => "Decimal",
        FhirPathDate => "Date",
        FhirPathDateTime => "DateTime",
        FhirPathTime => "Time",
        FhirPathQuantity => "Quantity",
        _ => null,
    };

    /// <summary>Namespace-qualified name for messages and type(): <c>System.Integer</c>, <c>FHIR.Patient</c>.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "empty",
        Base b => "FHIR." + b.TypeInfo.Name,
        _ => "System." + (SystemTypeName(value) ?? value.GetType().Name),
    };

    /// <summary>True when the type or one of its bases has this FHIR name (used for a leading <c>Patient</c> in a path).</summary>
    public static bool IsTypeNamed(FhirTypeInfo type, string name)
    {
        for (var t = type; t is not null; t = t.Base)
        {
            if (t.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Builds the test for a type specifier; unknown type names fail at evaluation, as the suite requires.</summary>
    public static Func<object, bool> CreateMatcher(string? ns, string name) => CreateMatcher(ns, name, exact: false);

    /// <summary>
    /// The test for <c>as</c>/<c>ofType</c>: FHIR primitives must be exactly the named type (a code is not "as string"),
    /// complex types and resources match subtypes too.
    /// </summary>
    public static Func<object, bool> CreateMatcher(string? ns, string name, bool exact)
    {
        if (ns is null or "FHIR" && ModelInfo.GetTypeInfo(name) is { Kind: not TypeKind.System } fhirType)
        {
            return item => item is Base b && (exact && fhirType.IsPrimitive ? ReferenceEquals(b.TypeInfo, fhirType) : b.TypeInfo.IsA(fhirType));
        }

        if (ns is null or "System" && SystemNames.Contains(name))
        {
            if (name == "Any")
            {
                return _ => true;
            }

            return item => item is not Base && SystemTypeName(item) == name;
        }

        if (ns is null or "FHIR" && name is "BackboneElement" or "Element" && ModelInfo.GetTypeInfo(name) is { } t)
        {
            return item => item is Base b && b.TypeInfo.IsA(t);
        }

        if (ns == "System")
        {
            // A FHIR-looking name in the System namespace (System.Patient) is a valid specifier that nothing matches.
            return _ => false;
        }

        return _ => throw new FhirPathRuntimeError($"unknown type '{(ns is null ? name : ns + "." + name)}'");
    }
}
