using System.Xml;
using System.Xml.Linq;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>A UCUM prefix such as "k" (kilo, 1e3).</summary>
internal sealed record UcumPrefix(string Code, string Name, Rational Value);

/// <summary>The special-unit function of a definition like Cel(1 K): name, factor and proper unit.</summary>
internal sealed record UcumFunction(string Name, Rational Value, string Unit);

/// <summary>One atom of the essence: a base unit or a defined unit.</summary>
internal sealed record UcumAtom(
    string Code,
    string Name,
    bool IsBase,
    bool IsMetric,
    bool IsSpecial,
    bool IsArbitrary,
    Rational Value,
    string? Unit,
    UcumFunction? Function);

/// <summary>The parsed UCUM essence: prefixes and unit atoms keyed by case-sensitive code.</summary>
internal sealed class UcumEssence
{
    private static readonly XNamespace Ns = "http://unitsofmeasure.org/ucum-essence";

    private UcumEssence(string version, Dictionary<string, UcumPrefix> prefixes, Dictionary<string, UcumAtom> atoms)
    {
        Version = version;
        Prefixes = prefixes;
        Atoms = atoms;

        // Longest prefix first so "da" (deka) wins over "d" (deci) when both leave a valid atom.
        PrefixesLongestFirst = [.. prefixes.Values.OrderByDescending(p => p.Code.Length).ThenBy(p => p.Code, StringComparer.Ordinal)];
    }

    public string Version { get; }

    public IReadOnlyDictionary<string, UcumPrefix> Prefixes { get; }

    public IReadOnlyList<UcumPrefix> PrefixesLongestFirst { get; }

    public IReadOnlyDictionary<string, UcumAtom> Atoms { get; }

    public static UcumEssence Load(Stream essenceXml)
    {
        ArgumentNullException.ThrowIfNull(essenceXml);

        // No DTDs in the essence; refusing them keeps a hostile stream from expanding entities.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(essenceXml, settings);
        var root = XDocument.Load(reader).Root ?? throw new InvalidDataException("UCUM essence has no root element.");
        if (root.Name != Ns + "root")
        {
            throw new InvalidDataException($"Not a UCUM essence document: root element is '{root.Name}'.");
        }

        var prefixes = new Dictionary<string, UcumPrefix>(StringComparer.Ordinal);
        foreach (var element in root.Elements(Ns + "prefix"))
        {
            var code = RequiredAttribute(element, "Code");
            var valueText = element.Element(Ns + "value")?.Attribute("value")?.Value ?? string.Empty;
            if (!Rational.TryParse(valueText, out var value))
            {
                throw new InvalidDataException($"UCUM prefix '{code}' has an unreadable value '{valueText}'.");
            }

            prefixes[code] = new UcumPrefix(code, NameOf(element), value);
        }

        var atoms = new Dictionary<string, UcumAtom>(StringComparer.Ordinal);
        foreach (var element in root.Elements(Ns + "base-unit"))
        {
            var code = RequiredAttribute(element, "Code");
            atoms[code] = new UcumAtom(code, NameOf(element), IsBase: true, IsMetric: true, IsSpecial: false,
                IsArbitrary: false, Rational.One, Unit: null, Function: null);
        }

        foreach (var element in root.Elements(Ns + "unit"))
        {
            var atom = ReadUnit(element);
            if (!atoms.TryAdd(atom.Code, atom))
            {
                throw new InvalidDataException($"UCUM essence defines '{atom.Code}' twice.");
            }
        }

        return new UcumEssence(root.Attribute("version")?.Value ?? "unknown", prefixes, atoms);
    }

    private static UcumAtom ReadUnit(XElement element)
    {
        var code = RequiredAttribute(element, "Code");
        var valueElement = element.Element(Ns + "value")
            ?? throw new InvalidDataException($"UCUM unit '{code}' has no value.");
        var isSpecial = IsYes(element, "isSpecial");
        UcumFunction? function = null;
        var value = Rational.One;
        string? unit;
        if (isSpecial)
        {
            var f = valueElement.Element(Ns + "function")
                ?? throw new InvalidDataException($"Special UCUM unit '{code}' has no function.");
            var fValueText = f.Attribute("value")?.Value ?? "1";
            if (!Rational.TryParse(fValueText, out var fValue))
            {
                throw new InvalidDataException($"Special UCUM unit '{code}' has an unreadable function value '{fValueText}'.");
            }

            function = new UcumFunction(RequiredAttribute(f, "name"), fValue, RequiredAttribute(f, "Unit"));
            unit = function.Unit;
        }
        else
        {
            unit = RequiredAttribute(valueElement, "Unit");

            // Some definitions carry the number only as text (e.g. [pi]); the attribute wins when present.
            var valueText = valueElement.Attribute("value")?.Value ?? valueElement.Value;
            if (!Rational.TryParse(valueText, out value))
            {
                throw new InvalidDataException($"UCUM unit '{code}' has an unreadable value '{valueText}'.");
            }
        }

        return new UcumAtom(code, NameOf(element), IsBase: false, IsMetric: IsYes(element, "isMetric"),
            isSpecial, IsYes(element, "isArbitrary"), value, unit, function);
    }

    private static string NameOf(XElement element) => element.Element(Ns + "name")?.Value.Trim() ?? string.Empty;

    private static bool IsYes(XElement element, string attribute) =>
        string.Equals(element.Attribute(attribute)?.Value, "yes", StringComparison.Ordinal);

    private static string RequiredAttribute(XElement element, string attribute) =>
        element.Attribute(attribute)?.Value
            ?? throw new InvalidDataException($"UCUM essence element '{element.Name.LocalName}' lacks '{attribute}'.");
}
