using System.Text;
using System.Text.Json;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>Line and column (1-based) of every value in a JSON text, by JSON path (<c>select[0].column[1].path</c>).</summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (long Line, long Column)> _byPath = new(StringComparer.Ordinal);

    private JsonPositions()
    {
    }

    public (long Line, long Column) this[string path] =>
        _byPath.TryGetValue(path, out var p) ? p : (_byPath.TryGetValue(Parent(path), out var q) ? q : (0, 0));

    /// <summary>Maps the positions of well-formed JSON (the caller has parsed it already).</summary>
    public static JsonPositions Map(ReadOnlySpan<byte> json)
    {
        var map = new JsonPositions();
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var frames = new Stack<Frame>();
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    continue;
            }

            var path = PathOf(frames, property);
            property = null;
            map._byPath.TryAdd(path, Locate(json, lineStarts, (int)reader.TokenStartIndex));
            if (frames.Count > 0 && frames.Peek().IsArray)
            {
                frames.Peek().Index++;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
            }
        }

        return map;
    }

    private static string PathOf(Stack<Frame> frames, string? property)
    {
        if (frames.Count == 0)
        {
            return "";
        }

        var parent = frames.Peek();
        return parent.IsArray ? $"{parent.Path}[{parent.Index}]" : parent.Path.Length == 0 ? property ?? "" : parent.Path + "." + property;
    }

    private static (long, long) Locate(ReadOnlySpan<byte> json, List<int> lineStarts, int offset)
    {
        var line = lineStarts.BinarySearch(offset);
        line = line >= 0 ? line : ~line - 1;
        var column = Encoding.UTF8.GetCharCount(json[lineStarts[line]..offset]) + 1;
        return (line + 1, column);
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; }
    }
}
