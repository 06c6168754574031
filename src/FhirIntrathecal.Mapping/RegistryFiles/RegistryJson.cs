using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>
/// The registry JSON layout (documented in docs/registry-format.md): one file <c>registry.json</c>,
/// <c>{"patients":[{…}],"administrations":[{…}]}</c>, whose property names and values are the CSV columns and values
/// (numbers as JSON numbers, yes/no as booleans, adverse events as an array of <c>{"kind","severity","outcome"}</c>;
/// absent or null = not recorded). Every value goes through the same field parsing and validation as a CSV field
/// (<see cref="RowParsers"/>); a record with a bad field is reported at the line and column of the offending value
/// (at its opening brace when a required field is missing) and skipped, the other records still go through.
/// </summary>
public static class RegistryJson
{
    public const string FileName = "registry.json";

    private const string AdverseEvents = "adverse_events";

    private static readonly string[] EventParts = ["kind", "severity", "outcome"];

    private static readonly HashSet<string> NumberFields = new(StringComparer.Ordinal)
    {
        "birth_year", "diagnosis_onset_year", "dose_mg", "volume_ml", "needle_gauge", "bed_rest_h", "weight_kg", "sedation",
        "nrs_baseline", "nrs_followup", "relief_weeks",
    };

    private static readonly HashSet<string> BooleanFields = new(StringComparer.Ordinal)
    {
        "function_improved", "neurotox_bladder", "neurotox_bowel", "neurotox_radiculopathy",
    };

    private enum ValueKind
    {
        Text,
        Number,
        Boolean,
        EventList,
    }

    public static RegistryReadResult ReadFile(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>Reads a registry from UTF-8 JSON; <paramref name="file"/> names it in the errors.</summary>
    public static RegistryReadResult Read(ReadOnlyMemory<byte> utf8, string file)
    {
        var bytes = utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        return new Parser(bytes, file).Read();
    }

    /// <summary>True for a .json file whose top-level object has "patients" (and is not a FHIR resource).</summary>
    public static bool IsRegistryFile(string path)
    {
        if (!File.Exists(path) || !path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("patients"u8))
                {
                    return true;
                }

                if (reader.ValueTextEquals("resourceType"u8))
                {
                    return false;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    public static void WriteFile(FhirIntrathecal.Domain.Registry registry, string path)
    {
        using var stream = File.Create(path);
        Write(registry, stream);
    }

    /// <summary>Writes the registry (indented, fields in the CSV column order, not-recorded fields left out).</summary>
    public static void Write(FhirIntrathecal.Domain.Registry registry, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(registry);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        WriteRecords(w, "patients", RegistryCsv.PatientColumns, registry.Patients.Select(RowFormatters.Patient));
        WriteRecords(w, "administrations", RegistryCsv.AdministrationColumns, registry.Administrations.Select(RowFormatters.Administration));
        w.WriteEndObject();
    }

    private static void WriteRecords(Utf8JsonWriter w, string name, string[] columns, IEnumerable<string[]> rows)
    {
        w.WriteStartArray(name);
        foreach (var row in rows)
        {
            w.WriteStartObject();
            for (var i = 0; i < columns.Length; i++)
            {
                var (column, text) = (columns[i], row[i]);
                if (text.Length == 0)
                {
                    continue;
                }

                switch (KindOf(column))
                {
                    case ValueKind.Number:
                        w.WriteNumber(column, decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture));
                        break;
                    case ValueKind.Boolean:
                        w.WriteBoolean(column, text == "yes");
                        break;
                    case ValueKind.EventList:
                        w.WriteStartArray(column);
                        foreach (var parts in text.Split(';').Select(item => item.Split(':')))
                        {
                            w.WriteStartObject();
                            w.WriteString("kind", parts[0]);
                            w.WriteString("severity", parts[1]);
                            w.WriteString("outcome", parts[2]);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        break;
                    default:
                        w.WriteString(column, text);
                        break;
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static ValueKind KindOf(string field) =>
        NumberFields.Contains(field) ? ValueKind.Number
        : BooleanFields.Contains(field) ? ValueKind.Boolean
        : field == AdverseEvents ? ValueKind.EventList
        : ValueKind.Text;

    private static string Expected(ValueKind kind) => kind switch
    {
        ValueKind.Number => "a JSON number",
        ValueKind.Boolean => "true or false",
        ValueKind.EventList => "an array of {\"kind\",\"severity\",\"outcome\"} objects",
        _ => "a JSON string",
    };

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    /// <summary>One pass of a <see cref="Utf8JsonReader"/> over the file; byte offsets become 1-based line and column.</summary>
    private sealed class Parser
    {
        private readonly ReadOnlyMemory<byte> _bytes;
        private readonly string _file;
        private readonly List<int> _lineStarts = [0];
        private readonly List<RegistryError> _errors = [];
        private readonly RecordIndex _index = new();

        public Parser(ReadOnlyMemory<byte> bytes, string file)
        {
            _bytes = bytes;
            _file = file;
            var span = bytes.Span;
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] == (byte)'\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public RegistryReadResult Read()
        {
            var patients = new List<FhirIntrathecal.Domain.PatientRecord>();
            var administrations = new List<FhirIntrathecal.Domain.AdministrationRecord>();
            var reader = new Utf8JsonReader(_bytes.Span);
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    _errors.Add(Error(reader.TokenStartIndex, "(root)", string.Empty, "a registry is a JSON object {\"patients\":[…],\"administrations\":[…]}"));
                    return Result(patients, administrations);
                }

                var sawPatients = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var at = reader.TokenStartIndex;
                    var name = reader.GetString()!;
                    reader.Read();
                    switch (name)
                    {
                        case "patients":
                            sawPatients = true;
                            ReadRecords(ref reader, name, RegistrySections.Patients, patients);
                            break;
                        case "administrations":
                            ReadRecords(ref reader, name, RegistrySections.Administrations, administrations);
                            break;
                        default:
                            _errors.Add(Error(at, name, name, "is not a registry section (patients, administrations)"));
                            reader.Skip();
                            break;
                    }
                }

                if (!sawPatients)
                {
                    _errors.Add(Error(0, "patients", "patients", "is required"));
                }
            }
            catch (JsonException e)
            {
                _errors.Add(new RegistryError(_file, (int)(e.LineNumber ?? 0) + 1, "(json)", "is not valid JSON from here on") { Position = (int)(e.BytePositionInLine ?? 0) + 1, Problem = RegistryProblem.Malformed, Record = "registry" });
            }

            return Result(patients, administrations);
        }

        private RegistryReadResult Result(List<FhirIntrathecal.Domain.PatientRecord> patients, List<FhirIntrathecal.Domain.AdministrationRecord> administrations) =>
            new(new FhirIntrathecal.Domain.Registry(new(patients), new(administrations)), _errors) { Sources = _index.Sources };

        private RegistryError Error(long offset, string field, string path, string message, RegistryProblem problem = RegistryProblem.Structure)
        {
            var index = _lineStarts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            var column = Encoding.UTF8.GetCharCount(_bytes.Span[_lineStarts[line]..(int)offset]) + 1;
            return new RegistryError(_file, line + 1, field, message) { Position = column, Path = path.Length == 0 ? null : path, Problem = problem };
        }

        private void ReadRecords<T>(ref Utf8JsonReader reader, string section, RegistrySection<T> kind, List<T> into)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                _errors.Add(Error(reader.TokenStartIndex, section, section, $"must be an array of objects, not {Describe(ref reader)}"));
                reader.Skip();
                return;
            }

            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var path = $"{section}[{index.ToString(CultureInfo.InvariantCulture)}]";
                index++;
                if (ReadRecord(ref reader, path, kind, out var row))
                {
                    into.Add(row!);
                }
            }
        }

        private bool ReadRecord<T>(ref Utf8JsonReader reader, string path, RegistrySection<T> section, out T? row)
        {
            row = default;
            var start = reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                _errors.Add(Error(start, "(record)", path, $"must be an object, not {Describe(ref reader)}"));
                reader.Skip();
                return false;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
            RegistryError? first = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameAt = reader.TokenStartIndex;
                var name = reader.GetString()!;
                reader.Read();
                if (!section.Columns.Contains(name, StringComparer.Ordinal))
                {
                    first ??= Error(nameAt, name, $"{path}.{name}", "is not a field of this record (see docs/registry-format.md)");
                    reader.Skip();
                    continue;
                }

                if (!offsets.TryAdd(name, reader.TokenStartIndex))
                {
                    first ??= Error(nameAt, name, $"{path}.{name}", "is given twice");
                    reader.Skip();
                    continue;
                }

                var kind = KindOf(name);
                string? text = (reader.TokenType, kind) switch
                {
                    (JsonTokenType.Null, _) => null,
                    (JsonTokenType.String, ValueKind.Text) => reader.GetString(),
                    (JsonTokenType.Number, ValueKind.Number) => reader.TryGetDecimal(out var d) ? d.ToString(CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(reader.ValueSpan),
                    (JsonTokenType.True, ValueKind.Boolean) => "yes",
                    (JsonTokenType.False, ValueKind.Boolean) => "no",
                    (JsonTokenType.StartArray, ValueKind.EventList) => ReadEvents(ref reader, $"{path}.{name}", ref first),
                    _ => null,
                };
                if (text is null && reader.TokenType != JsonTokenType.Null)
                {
                    first ??= Error(reader.TokenStartIndex, name, $"{path}.{name}", $"must be {Expected(kind)}, not {Describe(ref reader)}", RegistryProblem.Format);
                    reader.Skip();
                }
                else if (text is not null)
                {
                    values[name] = text;
                }
            }

            var startLine = Error(start, string.Empty, string.Empty, string.Empty).Line;
            var record = RecordIndex.RecordName(section.Kind, values.GetValueOrDefault(section.IdColumn), startLine);
            if (first is not null)
            {
                _errors.Add(first with { Record = record });
                return false;
            }

            RegistryError Locate(string c, string message) => Error(offsets.TryGetValue(c, out var o) ? o : start, c, $"{path}.{c}", message);
            var fields = new FieldReader(c => values.GetValueOrDefault(c) ?? string.Empty, Locate);
            row = section.Parse(fields);
            var error = fields.Error ?? _index.Add(section, row, new RecordSource(_file, startLine, c => Locate(c, string.Empty)));
            if (error is not null)
            {
                _errors.Add(error with { Record = error.Record ?? record });
                return false;
            }

            return true;
        }

        /// <summary>An array of {"kind","severity","outcome"} → the CSV text <c>kind:severity:outcome;…</c>, each code checked where it stands.</summary>
        private string ReadEvents(ref Utf8JsonReader reader, string path, ref RegistryError? first)
        {
            var items = new List<string>();
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var itemPath = $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";
                var field = $"{AdverseEvents}[{index.ToString(CultureInfo.InvariantCulture)}]";
                index++;
                var itemStart = reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    first ??= Error(itemStart, field, itemPath, $"must be an object {{\"kind\",\"severity\",\"outcome\"}}, not {Describe(ref reader)}", RegistryProblem.Format);
                    reader.Skip();
                    continue;
                }

                var parts = new Dictionary<string, string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    var valueAt = reader.TokenStartIndex;
                    var ok = name switch
                    {
                        "kind" => Check(ref reader, Codes.AdverseEvent),
                        "severity" => Check(ref reader, Codes.Severity),
                        "outcome" => Check(ref reader, Codes.AeOutcome),
                        _ => "is not one of kind, severity, outcome",
                    };
                    if (ok.Length > 0)
                    {
                        first ??= Error(valueAt, $"{field}.{name}", $"{itemPath}.{name}", ok, RegistryProblem.Format);
                    }
                    else
                    {
                        parts[name] = reader.GetString()!;
                    }

                    reader.Skip();
                }

                var missing = EventParts.FirstOrDefault(p => !parts.ContainsKey(p));
                if (missing is not null)
                {
                    first ??= Error(itemStart, $"{field}.{missing}", $"{itemPath}.{missing}", "is required", RegistryProblem.Required);
                }
                else
                {
                    items.Add($"{parts["kind"]}:{parts["severity"]}:{parts["outcome"]}");
                }
            }

            return string.Join(';', items);
        }

        /// <summary>The message for a bad code, or "" when the value is one of the spelling's codes.</summary>
        private static string Check<TEnum>(ref Utf8JsonReader reader, Spelling<TEnum> spelling)
            where TEnum : struct, Enum =>
            reader.TokenType != JsonTokenType.String ? $"must be a JSON string ({spelling.Allowed}), not {Describe(ref reader)}"
            : spelling.TryParse(reader.GetString()!, out _) ? string.Empty
            : $"is not one of {spelling.Allowed}";
    }
}
