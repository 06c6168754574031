namespace FhirIntrathecal.ModelGen;

/// <summary>FHIR names → C# names. Only names that clash with C# keywords or common .NET types are prefixed with Fhir.</summary>
public static class Naming
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["string"] = "FhirString",
        ["boolean"] = "FhirBoolean",
        ["decimal"] = "FhirDecimal",
        ["uri"] = "FhirUri",
        ["url"] = "FhirUrl",
        ["dateTime"] = "FhirDateTime",
        ["Task"] = "FhirTask",
        ["xhtml"] = "XHtml",
    };

    // Members of Base/PrimitiveType and C#-reserved member names an element must not take.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "TypeInfo", "Children", "IsEmpty", "ObjectValue", "HasValue", "GetValue", "SetValue", "DeepCopy", "IsExactly",
        "ToString", "Equals", "GetHashCode", "GetType", "Slots", "ToLexical",
    };

    public static string TypeClrName(string fhirName) => Renamed.GetValueOrDefault(fhirName) ?? Pascal(fhirName);

    public static string Pascal(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    public static string PropertyName(string elementName, string enclosingClrName)
    {
        var name = Pascal(elementName);
        return name == enclosingClrName || Reserved.Contains(name) ? name + "_" : name;
    }
}
