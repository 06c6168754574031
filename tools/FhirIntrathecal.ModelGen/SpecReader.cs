using System.Text.Json;

namespace FhirIntrathecal.ModelGen;

/// <summary>Reads the base (non-constraint) StructureDefinitions of a FHIR package into a <see cref="SpecModel"/>.</summary>
public static class SpecReader
{
    private const string ExplicitTypeName = "http://hl7.org/fhir/StructureDefinition/structuredefinition-explicit-type-name";

    public static SpecModel Read(string packageFolder)
    {
        var definitions = new List<JsonElement>();
        foreach (var file in Directory.EnumerateFiles(packageFolder, "StructureDefinition-*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var sd = doc.RootElement.Clone();
            var kind = sd.GetProperty("kind").GetString();
            var derivation = sd.TryGetProperty("derivation", out var d) ? d.GetString() : null;
            if (kind == "logical" || derivation == "constraint")
            {
                continue;
            }

            definitions.Add(sd);
        }

        if (definitions.Count == 0)
        {
            throw new InvalidOperationException($"No StructureDefinitions in {packageFolder}");
        }

        var byName = definitions.ToDictionary(sd => sd.GetProperty("type").GetString()!, StringComparer.Ordinal);
        var types = new List<SpecType>();
        foreach (var sd in definitions.OrderBy(sd => sd.GetProperty("type").GetString(), StringComparer.Ordinal))
        {
            types.Add(ReadType(sd, byName));
        }

        return new SpecModel(types);
    }

    private static SpecType ReadType(JsonElement sd, Dictionary<string, JsonElement> byName)
    {
        var name = sd.GetProperty("type").GetString()!;
        var kind = sd.GetProperty("kind").GetString() switch
        {
            "primitive-type" => SpecKind.Primitive,
            "resource" => SpecKind.Resource,
            _ => SpecKind.Complex,
        };
        var baseName = sd.TryGetProperty("baseDefinition", out var b) ? b.GetString()!.Split('/')[^1] : null;
        var type = new SpecType
        {
            FhirName = name,
            ClrName = Naming.TypeClrName(name),
            Kind = kind,
            IsAbstract = sd.TryGetProperty("abstract", out var a) && a.GetBoolean(),
            BaseFhirName = baseName,
            Documentation = sd.TryGetProperty("description", out var desc) ? desc.GetString() : null,
        };

        var inherited = InheritedNames(baseName, byName);
        var elements = sd.GetProperty("snapshot").GetProperty("element").EnumerateArray().ToList();
        var paths = elements.Select(e => e.GetProperty("path").GetString()!).ToHashSet(StringComparer.Ordinal);
        var componentsByPath = new Dictionary<string, SpecType>(StringComparer.Ordinal) { [name] = type };
        var usedClrNames = new HashSet<string>(StringComparer.Ordinal) { type.ClrName };

        foreach (var e in elements.Skip(1))
        {
            var path = e.GetProperty("path").GetString()!;
            var parentPath = path[..path.LastIndexOf('.')];
            var rawName = path[(path.LastIndexOf('.') + 1)..];
            var owner = componentsByPath[parentPath];
            var elementName = rawName.EndsWith("[x]", StringComparison.Ordinal) ? rawName[..^3] : rawName;

            // Inherited elements (id, extension, meta...) belong to the base class, not this one.
            var ownerInherited = ReferenceEquals(owner, type) ? inherited : InheritedNames(owner.BaseFhirName, byName);
            if (ownerInherited.Contains(elementName))
            {
                continue;
            }

            var typeCodes = e.TryGetProperty("type", out var t)
                ? t.EnumerateArray().Select(x => x.GetProperty("code").GetString()!).ToList()
                : [];
            IReadOnlyList<string> typeNames;
            if (e.TryGetProperty("contentReference", out var cr))
            {
                typeNames = [cr.GetString()!.TrimStart('#')];
            }
            else if (paths.Contains(path + ".id") && typeCodes is ["BackboneElement"] or ["Element"])
            {
                // A nested component: its own class.
                var component = new SpecType
                {
                    FhirName = path,
                    ClrName = ComponentClrName(e, rawName, owner, usedClrNames),
                    Kind = SpecKind.Component,
                    IsAbstract = false,
                    BaseFhirName = typeCodes[0],
                    Parent = type,
                };
                componentsByPath[path] = component;
                type.Components.Add(component);
                typeNames = [path];
            }
            else
            {
                typeNames = typeCodes.Select(c => c.StartsWith("http://hl7.org/fhirpath/", StringComparison.Ordinal) ? c["http://hl7.org/fhirpath/".Length..] : c).ToList();
            }

            var max = e.GetProperty("max").GetString()!;
            owner.OwnElements.Add(new SpecElement
            {
                Name = elementName,
                Path = path,
                Min = e.GetProperty("min").GetInt32(),
                Max = max == "*" ? int.MaxValue : int.Parse(max, System.Globalization.CultureInfo.InvariantCulture),
                TypeNames = typeNames,
                IsChoice = rawName.EndsWith("[x]", StringComparison.Ordinal),
                IsModifier = e.TryGetProperty("isModifier", out var m) && m.GetBoolean(),
                IsSummary = e.TryGetProperty("isSummary", out var s) && s.GetBoolean(),
                Representation = Representation(e, typeNames),
                Short = e.TryGetProperty("short", out var sh) ? sh.GetString() : null,
            });
        }

        return type;
    }

    private static string Representation(JsonElement e, IReadOnlyList<string> typeNames)
    {
        if (typeNames is ["xhtml"])
        {
            return "Xhtml";
        }

        if (e.TryGetProperty("representation", out var r))
        {
            foreach (var x in r.EnumerateArray())
            {
                if (x.GetString() == "xmlAttr")
                {
                    return "Attribute";
                }

                if (x.GetString() == "xhtml")
                {
                    return "Xhtml";
                }
            }
        }

        return "Element";
    }

    private static string ComponentClrName(JsonElement e, string rawName, SpecType owner, HashSet<string> used)
    {
        var explicitName = e.TryGetProperty("extension", out var exts)
            ? exts.EnumerateArray()
                .Where(x => x.GetProperty("url").GetString() == ExplicitTypeName)
                .Select(x => x.GetProperty("valueString").GetString())
                .FirstOrDefault()
            : null;
        var name = Naming.Pascal(explicitName ?? rawName) + "Component";
        if (!used.Add(name))
        {
            // Same name elsewhere in this type (e.g. item.detail and addItem.detail): qualify with the owner.
            name = owner.ClrName.Replace("Component", "", StringComparison.Ordinal) + name;
            if (!used.Add(name))
            {
                throw new InvalidOperationException($"Component name clash: {name}");
            }
        }

        return name;
    }

    private static HashSet<string> InheritedNames(string? baseName, Dictionary<string, JsonElement> byName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (baseName is not null && byName.TryGetValue(baseName, out var sd))
        {
            foreach (var e in sd.GetProperty("snapshot").GetProperty("element").EnumerateArray())
            {
                var path = e.GetProperty("path").GetString()!;
                if (path.Count(c => c == '.') == 1)
                {
                    var n = path[(path.IndexOf('.') + 1)..];
                    names.Add(n.EndsWith("[x]", StringComparison.Ordinal) ? n[..^3] : n);
                }
            }

            baseName = sd.TryGetProperty("baseDefinition", out var b) ? b.GetString()!.Split('/')[^1] : null;
        }

        return names;
    }
}
