using System.Globalization;
using System.Text;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>
/// Builds English display names from the essence names: "mg" → "milligram",
/// "kg/m2" → "kilogram per square meter", "mg.h" → "milligram * hour".
/// </summary>
internal static class UcumDisplayNames
{
    public static string? Describe(UcumTerm term)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < term.Parts.Count; i++)
        {
            var part = term.Parts[i];
            if (part.Divide)
            {
                sb.Append(i == 0 ? "per " : " per ");
            }
            else if (i > 0)
            {
                sb.Append(" * ");
            }

            var name = Describe(part.Component);
            if (name is null)
            {
                return null;
            }

            sb.Append(name);
        }

        return sb.ToString();
    }

    private static string? Describe(UcumComponent component) => component switch
    {
        UcumUnitComponent unit => DescribeUnit(unit),
        UcumFactorComponent factor => factor.Value.ToString(CultureInfo.InvariantCulture),
        UcumAnnotationComponent annotation => annotation.Annotation,
        UcumGroupComponent group => Describe(group.Term) is { } inner ? $"({inner})" : null,
        _ => null,
    };

    private static string? DescribeUnit(UcumUnitComponent unit)
    {
        string name;
        if (unit.Atom.Code is "10*" or "10^")
        {
            // "the number ten for arbitrary powers" reads badly; 10*3 is simply 10^3.
            name = string.Create(CultureInfo.InvariantCulture, $"10^{unit.Exponent}");
        }
        else
        {
            if (unit.Atom.Name.Length == 0)
            {
                return null;
            }

            var baseName = (unit.Prefix?.Name ?? string.Empty) + unit.Atom.Name;
            name = unit.Exponent switch
            {
                1 => baseName,
                2 => "square " + baseName,
                3 => "cubic " + baseName,
                _ => string.Create(CultureInfo.InvariantCulture, $"{baseName}^{unit.Exponent}"),
            };
        }

        return unit.Annotation is null ? name : $"{name} {unit.Annotation}";
    }
}
