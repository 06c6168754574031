using System.Globalization;
using System.Text.Json;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>What reading a view gave: the view when it has no error, and every issue found, located.</summary>
public sealed record ViewReadResult(ViewDefinition? View, IReadOnlyList<ViewIssue> Issues)
{
    public bool Success => View is not null;
}

/// <summary>
/// Reads a ViewDefinition from JSON (it is a logical model outside R4) and checks it: structure, FHIRPath syntax, names,
/// constants, unionAll column agreement. Every problem is collected with its JSON path and line/column; a view with any
/// error is refused (no <see cref="ViewReadResult.View"/>).
/// </summary>
public static class ViewDefinitionReader
{
    /// <summary>Variables FHIRPath or SQL on FHIR define without a constant.</summary>
    private static readonly HashSet<string> BuiltInVariables = new(StringComparer.Ordinal) { "context", "resource", "rootResource", "ucum", "sct", "loinc", ViewRunner.RowIndexVariable };

    private static readonly HashSet<string> TopProperties = new(StringComparer.Ordinal)
    {
        "resourceType", "id", "meta", "implicitRules", "language", "text", "contained", "extension", "modifierExtension", "url", "identifier",
        "version", "name", "title", "status", "experimental", "date", "publisher", "contact", "description", "useContext", "jurisdiction",
        "purpose", "copyright", "resource", "profile", "fhirVersion", "constant", "select", "where",
    };

    private static readonly HashSet<string> SelectProperties = new(StringComparer.Ordinal) { "id", "extension", "column", "select", "forEach", "forEachOrNull", "repeat", "unionAll" };

    private static readonly HashSet<string> ColumnProperties = new(StringComparer.Ordinal) { "id", "extension", "name", "path", "description", "collection", "type", "tag" };

    private static readonly string[] IterationProperties = ["forEach", "forEachOrNull", "repeat"];

    private static readonly HashSet<string> WhereProperties = new(StringComparer.Ordinal) { "id", "extension", "path", "description" };

    public static ViewReadResult Read(string json, string defaultName = "view") => Read(System.Text.Encoding.UTF8.GetBytes(json), defaultName);

    public static ViewReadResult Read(ReadOnlySpan<byte> json, string defaultName = "view")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            return new ViewReadResult(null, [new ViewIssue(ViewCodes.Json, e.Message.Split(" Path:")[0], "", (e.LineNumber ?? -1) + 1, (e.BytePositionInLine ?? -1) + 1)]);
        }

        using (document)
        {
            var state = new State(JsonPositions.Map(json));
            var view = state.ReadView(document.RootElement, defaultName);
            return new ViewReadResult(state.Issues.Count == 0 ? view : null, state.Issues);
        }
    }

    /// <summary>Reads a view file; the file name (without extension) is the default view name.</summary>
    public static ViewReadResult ReadFile(string path) => Read(File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path));

    /// <summary>Reads view files; a folder gives its <c>*.json</c> files (not recursive), in name order.</summary>
    public static IReadOnlyList<(string Source, ViewReadResult Result)> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*.json").Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]);
        return files.Select(f => (f, ReadFile(f))).ToList();
    }

    private sealed class State(JsonPositions positions)
    {
        private readonly HashSet<string> _columnNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, object> _constants = new(StringComparer.Ordinal);
        private readonly List<(CompiledExpression Expression, string Path)> _expressions = [];
        private Dictionary<string, object>? _bound;

        public List<ViewIssue> Issues { get; } = [];

        public ViewDefinition? ReadView(JsonElement root, string defaultName)
        {
            if (!Expect(root, JsonValueKind.Object, ""))
            {
                return null;
            }

            CheckProperties(root, TopProperties, "");
            var resource = String(root, "resource", "", required: true);
            if (resource is not null && ModelInfo.GetResourceType(resource) is null)
            {
                Report(ViewCodes.Resource, $"'{resource}'", "resource");
            }

            var name = String(root, "name", "", required: false) is { } given ? (CheckName(given, "name") ? given : "view") : SafeName(defaultName);
            foreach (var (c, i) in Items(root, "constant", ""))
            {
                ReadConstant(c, $"constant[{i}]");
            }

            var where = new List<ViewWhere>();
            foreach (var (w, i) in Items(root, "where", ""))
            {
                var path = $"where[{i}]";
                if (Expect(w, JsonValueKind.Object, path))
                {
                    CheckProperties(w, WhereProperties, path);
                    if (Expression(w, "path", path, required: true) is { } e)
                    {
                        where.Add(new ViewWhere(e, path + ".path"));
                    }
                }
            }

            if (!root.TryGetProperty("select", out _))
            {
                Report(ViewCodes.Required, "'select'", "");
            }

            var selects = ReadSelects(root, "select", "");
            CheckConstantReferences();
            var top = new ViewSelection("", ViewIteration.None, [], [], selects, []);
            top.Assign(0);
            return resource is null ? null : new ViewDefinition(name, resource, _constants, where, top, positions);
        }

        private List<ViewSelection> ReadSelects(JsonElement owner, string property, string ownerPath)
        {
            var result = new List<ViewSelection>();
            foreach (var (s, i) in Items(owner, property, ownerPath))
            {
                if (ReadSelect(s, Join(ownerPath, $"{property}[{i}]")) is { } selection)
                {
                    result.Add(selection);
                }
            }

            return result;
        }

        private ViewSelection? ReadSelect(JsonElement s, string path)
        {
            if (!Expect(s, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(s, SelectProperties, path);
            var iterations = IterationProperties.Where(p => s.TryGetProperty(p, out _)).ToList();
            if (iterations.Count > 1)
            {
                Report(ViewCodes.IterationConflict, string.Join(", ", iterations), path);
            }

            var iteration = ViewIteration.None;
            var iterate = new List<CompiledExpression>();
            if (Expression(s, "forEach", path, required: false) is { } forEach)
            {
                iteration = ViewIteration.ForEach;
                iterate.Add(forEach);
            }
            else if (Expression(s, "forEachOrNull", path, required: false) is { } forEachOrNull)
            {
                iteration = ViewIteration.ForEachOrNull;
                iterate.Add(forEachOrNull);
            }
            else if (s.TryGetProperty("repeat", out _))
            {
                iteration = ViewIteration.Repeat;
                foreach (var (r, i) in Items(s, "repeat", path))
                {
                    if (Compile(r, $"{path}.repeat[{i}]") is { } e)
                    {
                        iterate.Add(e);
                    }
                }
            }

            var columns = new List<ViewColumn>();
            foreach (var (c, i) in Items(s, "column", path))
            {
                if (ReadColumn(c, $"{path}.column[{i}]") is { } column)
                {
                    columns.Add(column);
                }
            }

            var selects = ReadSelects(s, "select", path);
            var union = ReadUnion(s, path);
            return new ViewSelection(path, iteration, iterate, columns, selects, union);
        }

        private List<ViewSelection> ReadUnion(JsonElement s, string path)
        {
            if (!s.TryGetProperty("unionAll", out _))
            {
                return [];
            }

            // Branches share their columns: each is checked against the columns outside the union, then the union adds its names once.
            var before = new HashSet<string>(_columnNames, StringComparer.Ordinal);
            var branches = new List<ViewSelection>();
            List<string>? first = null;
            foreach (var (b, i) in Items(s, "unionAll", path))
            {
                var branchPath = $"{path}.unionAll[{i}]";
                _columnNames.Clear();
                _columnNames.UnionWith(before);
                if (ReadSelect(b, branchPath) is not { } branch)
                {
                    continue;
                }

                var columns = new List<ViewColumn>();
                branch.CollectColumns(columns);
                var branchNames = columns.Select(c => c.Name).ToList();
                if (first is null)
                {
                    first = branchNames;
                }
                else if (!first.SequenceEqual(branchNames))
                {
                    Report(ViewCodes.UnionColumns, $"[{string.Join(", ", branchNames)}] differs from [{string.Join(", ", first)}]", branchPath);
                }

                branches.Add(branch);
            }

            _columnNames.Clear();
            _columnNames.UnionWith(before);
            _columnNames.UnionWith(first ?? []);
            return branches;
        }

        private ViewColumn? ReadColumn(JsonElement c, string path)
        {
            if (!Expect(c, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(c, ColumnProperties, path);
            var name = String(c, "name", path, required: true);
            var expression = Expression(c, "path", path, required: true);
            var type = String(c, "type", path, required: false);
            var description = String(c, "description", path, required: false);
            var collection = false;
            if (c.TryGetProperty("collection", out var col) && Expect(col, JsonValueKind.True, path + ".collection", JsonValueKind.False))
            {
                collection = col.GetBoolean();
            }

            if (type is not null && ModelInfo.GetTypeInfo(type) is null && type != "integer64")
            {
                Report(ViewCodes.ColumnType, $"'{type}'", path + ".type");
            }

            if (name is not null && CheckName(name, path + ".name") && !_columnNames.Add(name))
            {
                Report(ViewCodes.DuplicateColumn, $"'{name}'", path + ".name");
            }

            return name is null || expression is null ? null : new ViewColumn(name, expression, type, collection, description, path);
        }

        private void ReadConstant(JsonElement c, string path)
        {
            if (!Expect(c, JsonValueKind.Object, path))
            {
                return;
            }

            var name = String(c, "name", path, required: true);
            var values = c.EnumerateObject().Where(p => p.Name.StartsWith("value", StringComparison.Ordinal)).ToList();
            foreach (var p in c.EnumerateObject().Where(p => p.Name is not ("name" or "id" or "extension") && !p.Name.StartsWith("value", StringComparison.Ordinal)))
            {
                Report(ViewCodes.UnknownProperty, $"'{p.Name}'", $"{path}.{p.Name}");
            }

            if (values.Count != 1)
            {
                Report(ViewCodes.Constant, values.Count == 0 ? "no value[x]" : "several value[x]", path);
                return;
            }

            var type = values[0].Name["value".Length..];
            if (ConstantValue(type, values[0].Value) is not { } value)
            {
                Report(ViewCodes.Constant, $"{values[0].Name} = {values[0].Value.GetRawText()} is not a supported primitive value", $"{path}.{values[0].Name}");
                return;
            }

            if (name is not null && CheckName(name, path + ".name"))
            {
                _constants[name] = value;
            }
        }

        /// <summary>A constant as the FHIRPath System value its FHIR primitive type converts to.</summary>
        private static object? ConstantValue(string type, JsonElement v) => type switch
        {
            "Boolean" when v.ValueKind is JsonValueKind.True or JsonValueKind.False => v.GetBoolean(),
            "Integer" or "PositiveInt" or "UnsignedInt" or "Integer64" when v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) => l,
            "Integer64" when v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            "Decimal" when v.ValueKind == JsonValueKind.Number => decimal.Parse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
            "Date" when v.ValueKind == JsonValueKind.String && FhirPathDate.TryParse(v.GetString()!, out var d) => d,
            "DateTime" or "Instant" when v.ValueKind == JsonValueKind.String && FhirPathDateTime.TryParse(v.GetString()!, out var dt) => dt,
            "Time" when v.ValueKind == JsonValueKind.String && FhirPathTime.TryParse(v.GetString()!, out var t) => t,
            "String" or "Code" or "Id" or "Uri" or "Url" or "Canonical" or "Oid" or "Uuid" or "Markdown" or "Base64Binary"
                when v.ValueKind == JsonValueKind.String => v.GetString(),
            _ => null,
        };

        private void CheckConstantReferences()
        {
            foreach (var (expression, path) in _expressions)
            {
                foreach (var (name, position) in expression.VariableReferences())
                {
                    if (!_constants.ContainsKey(name) && !BuiltInVariables.Contains(name) && !name.StartsWith("vs-", StringComparison.Ordinal)
                        && !name.StartsWith("ext-", StringComparison.Ordinal))
                    {
                        Report(ViewCodes.UnknownConstant, $"%{name} at position {position} of '{expression.Text}'", path);
                    }
                }
            }
        }

        private bool CheckName(string name, string path)
        {
            var ok = name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
            if (!ok)
            {
                Report(ViewCodes.Name, $"'{name}'", path);
            }

            return ok;
        }

        private CompiledExpression? Expression(JsonElement owner, string property, string ownerPath, bool required)
        {
            if (!owner.TryGetProperty(property, out var value))
            {
                if (required)
                {
                    Report(ViewCodes.Required, $"'{property}'", ownerPath);
                }

                return null;
            }

            return Compile(value, Join(ownerPath, property));
        }

        private CompiledExpression? Compile(JsonElement value, string path)
        {
            if (!Expect(value, JsonValueKind.String, path))
            {
                return null;
            }

            try
            {
                var compiled = FhirPathCompiler.Compile(value.GetString()!);
                _expressions.Add((compiled, path));

                // The constants (read before any expression) are bound and folded once here, not looked up per row;
                // %rowIndex stays a variable: the runner sets it per row, over any constant of that name.
                return compiled.WithConstants(_bound ??= _constants.Where(c => c.Key != ViewRunner.RowIndexVariable).ToDictionary(StringComparer.Ordinal));
            }
            catch (FhirPathSyntaxException e)
            {
                Report(ViewCodes.FhirPath, $"'{value.GetString()}': {e.Reason} (position {e.Position})", path);
                return null;
            }
        }

        private string? String(JsonElement owner, string property, string ownerPath, bool required)
        {
            if (!owner.TryGetProperty(property, out var value))
            {
                if (required)
                {
                    Report(ViewCodes.Required, $"'{property}'", ownerPath);
                }

                return null;
            }

            return Expect(value, JsonValueKind.String, Join(ownerPath, property)) ? value.GetString() : null;
        }

        private List<(JsonElement Item, int Index)> Items(JsonElement owner, string property, string ownerPath)
        {
            if (!owner.TryGetProperty(property, out var value) || !Expect(value, JsonValueKind.Array, Join(ownerPath, property)))
            {
                return [];
            }

            return value.EnumerateArray().Select((item, i) => (Item: item, Index: i)).ToList();
        }

        private void CheckProperties(JsonElement owner, HashSet<string> known, string ownerPath)
        {
            foreach (var p in owner.EnumerateObject())
            {
                if (!known.Contains(p.Name))
                {
                    Report(ViewCodes.UnknownProperty, $"'{p.Name}'", Join(ownerPath, p.Name));
                }
            }
        }

        private bool Expect(JsonElement value, JsonValueKind kind, string path, JsonValueKind alternative = JsonValueKind.Undefined)
        {
            if (value.ValueKind == kind || value.ValueKind == alternative)
            {
                return true;
            }

            var wanted = kind is JsonValueKind.True ? "boolean" : kind.ToString().ToLowerInvariant();
            Report(ViewCodes.WrongKind, $"{wanted} expected, found {value.ValueKind.ToString().ToLowerInvariant()}", path);
            return false;
        }

        private void Report(string code, string detail, string path)
        {
            var (line, column) = positions[path];
            Issues.Add(new ViewIssue(code, detail, path, line, column));
        }

        /// <summary>A file name made a table name: letters, digits and _ only, starting with a letter.</summary>
        private static string SafeName(string name)
        {
            var chars = name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray();
            var safe = new string(chars);
            return safe.Length > 0 && char.IsAsciiLetter(safe[0]) ? safe : "v_" + safe;
        }

        private static string Join(string owner, string property) => owner.Length == 0 ? property : owner + "." + property;
    }
}
