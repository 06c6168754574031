using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>String functions. Regular expressions run with a match timeout so hostile patterns cannot hang evaluation.</summary>
internal static partial class Functions
{
    private static void RegisterStrings(Register add)
    {
        add("indexOf", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } sub ? [(long)s.IndexOf(sub, StringComparison.Ordinal)] : []);
        add("substring", 1, 2, c =>
        {
            if (Str(c) is not { } s || c.IntegerArg(0) is not { } start)
            {
                return [];
            }

            if (start < 0 || start >= s.Length)
            {
                return [];
            }

            if (c.ArgCount > 1)
            {
                var lengthArg = c.Arg(1);
                if (lengthArg.Count > 0)
                {
                    var length = Values.SingletonInteger(lengthArg, "substring") ?? 0;
                    return [s.Substring((int)start, (int)Math.Clamp(length, 0, s.Length - start))];
                }
            }

            return [s[(int)start..]];
        });
        add("startsWith", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } p ? Values.Bool(s.StartsWith(p, StringComparison.Ordinal)) : []);
        add("endsWith", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } p ? Values.Bool(s.EndsWith(p, StringComparison.Ordinal)) : []);
        add("contains", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } p ? Values.Bool(s.Contains(p, StringComparison.Ordinal)) : []);
        add("upper", 0, 0, c => Str(c) is { } s ? [s.ToUpperInvariant()] : []);
        add("lower", 0, 0, c => Str(c) is { } s ? [s.ToLowerInvariant()] : []);
        add("replace", 2, 2, c =>
        {
            if (Str(c) is not { } s || c.StringArg(0) is not { } pattern || c.StringArg(1) is not { } substitution)
            {
                return [];
            }

            if (pattern.Length == 0)
            {
                // Per spec: an empty pattern inserts the substitution around every character.
                var sb = new StringBuilder(substitution);
                foreach (var ch in s)
                {
                    sb.Append(ch).Append(substitution);
                }

                return [sb.ToString()];
            }

            return [s.Replace(pattern, substitution, StringComparison.Ordinal)];
        });
        add("matches", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } p ? Values.Bool(Regex(c, p, full: false).IsMatch(s)) : []);
        add("matchesFull", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } p ? Values.Bool(Regex(c, p, full: true).IsMatch(s)) : []);
        add("replaceMatches", 2, 2, c =>
            Str(c) is { } s && c.StringArg(0) is { } p && c.StringArg(1) is { } r
                ? [p.Length == 0 ? s : Regex(c, p, full: false).Replace(s, r)]
                : []);
        add("length", 0, 0, c => Str(c) is { } s ? [(long)s.Length] : []);
        add("toChars", 0, 0, c => Str(c) is { } s ? s.Select(ch => (object)ch.ToString()).ToList() : []);

        // FHIRPath 2.1 additions, cheap to have and used by newer profiles.
        add("trim", 0, 0, c => Str(c) is { } s ? [s.Trim()] : []);
        add("split", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } sep ? s.Split(sep).Cast<object>().ToList() : []);
        add("join", 0, 1, c =>
        {
            var sep = c.ArgCount > 0 ? c.StringArg(0) ?? "" : "";
            return [string.Join(sep, c.Input.Select(i => Values.ToSystem(i) as string ?? throw new FhirPathRuntimeError("join() needs strings")))];
        });
        add("encode", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } f ? One(Encode(s, f)) : []);
        add("decode", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } f ? One(Decode(s, f)) : []);
        add("escape", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } t ? One(t switch
        {
            "html" => WebUtility.HtmlEncode(s),
            "json" => EscapeJson(s),
            _ => null,
        }) : []);
        add("unescape", 1, 1, c => Str(c) is { } s && c.StringArg(0) is { } t ? One(t switch
        {
            "html" => WebUtility.HtmlDecode(s),
            "json" => UnescapeJson(s),
            _ => null,
        }) : []);
    }

    /// <summary>The input as a single string; non-string input is an error, empty input gives null.</summary>
    private static string? Str(in Call c) => Single(c) switch
    {
        null => null,
        string s => s,
        var o => throw new FhirPathRuntimeError($"{c.Node.Name}() needs a String input, not {Typing.TypeName(o)}"),
    };

    private const int MaxCachedRegexes = 1_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pattern, bool Full, TimeSpan Timeout), Regex> RegexCache = new();

    // ConcurrentDictionary.Count takes every lock; track the size separately.
    private static int s_regexCacheSize;

    /// <summary>Patterns repeat across evaluations (invariants): construct each once; the cache stops growing at a bound.</summary>
    private static Regex Regex(in Call c, string pattern, bool full)
    {
        var key = (pattern, full, c.Scope.Context.RegexTimeout);
        if (RegexCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        try
        {
            var regex = new Regex(full ? "^(?:" + pattern + ")$" : pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant, key.RegexTimeout);
            if (Volatile.Read(ref s_regexCacheSize) < MaxCachedRegexes && RegexCache.TryAdd(key, regex))
            {
                Interlocked.Increment(ref s_regexCacheSize);
            }

            return regex;
        }
        catch (ArgumentException e)
        {
            throw new FhirPathRuntimeError($"invalid regular expression '{pattern}': {e.Message}", e);
        }
    }

    private static string EscapeJson(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        foreach (var ch in s)
        {
            _ = ch switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < ' ' => sb.Append("\\u").Append(((int)ch).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => sb.Append(ch),
            };
        }

        return sb.ToString();
    }

    private static string? UnescapeJson(string s)
    {
        var escaped = new StringBuilder(s.Length + 2).Append('"');
        foreach (var ch in s)
        {
            // A bare quote is literal content here, not the end of a JSON string.
            escaped.Append(ch == '"' && (escaped.Length == 1 || escaped[^1] != '\\') ? "\\\"" : ch.ToString());
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>(escaped.Append('"').ToString());
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Encode(string s, string format) => format switch
    {
        "hex" => Convert.ToHexString(Encoding.UTF8.GetBytes(s)).ToLowerInvariant(),
        "base64" => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)),
        "urlbase64" => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).Replace('+', '-').Replace('/', '_'),
        _ => null,
    };

    private static string? Decode(string s, string format)
    {
        try
        {
            return format switch
            {
                "hex" => Encoding.UTF8.GetString(Convert.FromHexString(s)),
                "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(s)),
                "urlbase64" => Encoding.UTF8.GetString(Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/'))),
                _ => null,
            };
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
