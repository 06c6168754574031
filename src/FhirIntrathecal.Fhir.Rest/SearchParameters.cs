using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>Comparison prefixes of number, date and quantity parameters.</summary>
public enum SearchPrefix
{
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Sa,
    Eb,
    Ap,
}

/// <summary>
/// An immutable list of search parameters. Each method returns a new instance, so a base query can be shared and
/// extended safely. Values given to the typed helpers are escaped as FHIR requires (<c>\ , $ |</c>).
/// </summary>
public sealed record SearchParameters
{
    public static SearchParameters Empty { get; } = new();

    public ImmutableList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>A raw parameter: name (with modifier/chain) and an already-escaped value.</summary>
    public SearchParameters Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Parameters = Parameters.Add(new(name, value)) };
    }

    public SearchParameters String(string name, string value, bool exact = false) =>
        Add(exact ? name + ":exact" : name, Escape(value));

    /// <summary>token: <c>system|code</c>, <c>|code</c> (no system) or <c>code</c> (any system) when system is null.</summary>
    public SearchParameters Token(string name, string? system, string code) =>
        Add(name, system is null ? Escape(code) : Escape(system) + "|" + Escape(code));

    /// <summary>identifier=system|value, the usual key of conditional creates.</summary>
    public SearchParameters Identifier(string? system, string value) => Token("identifier", system, value);

    public SearchParameters Reference(string name, string type, string id) => Add(name, $"{type}/{Escape(id)}");

    public SearchParameters Date(string name, SearchPrefix prefix, DateTimeOffset value) =>
        Add(name, Prefix(prefix) + value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));

    public SearchParameters Date(string name, SearchPrefix prefix, DateOnly value) =>
        Add(name, Prefix(prefix) + value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public SearchParameters Number(string name, SearchPrefix prefix, decimal value) =>
        Add(name, Prefix(prefix) + value.ToString(CultureInfo.InvariantCulture));

    public SearchParameters Quantity(string name, SearchPrefix prefix, decimal value, string? system, string? code) =>
        Add(name, Prefix(prefix) + value.ToString(CultureInfo.InvariantCulture) + (code is null ? string.Empty : $"|{Escape(system ?? string.Empty)}|{Escape(code)}"));

    public SearchParameters Id(string id) => Add("_id", Escape(id));

    public SearchParameters Count(int count) => Add("_count", count.ToString(CultureInfo.InvariantCulture));

    public SearchParameters LastUpdated(SearchPrefix prefix, DateTimeOffset value) => Date("_lastUpdated", prefix, value);

    public SearchParameters Include(string include) => Add("_include", include);

    public SearchParameters RevInclude(string include) => Add("_revinclude", include);

    public SearchParameters Sort(params string[] fields) => Add("_sort", string.Join(',', fields));

    public SearchParameters Elements(params string[] elements) => Add("_elements", string.Join(',', elements));

    public SearchParameters SummaryCount() => Add("_summary", "count");

    /// <summary>The query without the leading '?', percent-encoded.</summary>
    public string ToQueryString()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in Parameters)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }

    /// <summary>The unencoded form used inside Bundle.request.ifNoneExist and conditional URLs.</summary>
    public string ToConditionString() => string.Join('&', Parameters.Select(p => $"{p.Key}={p.Value}"));

    public override string ToString() => ToQueryString();

    /// <summary>FHIR's escaping of search values: backslash before \ , $ and |.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny(@"\,$|") < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '$' or '|')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Prefix(SearchPrefix prefix) => prefix == SearchPrefix.Eq ? string.Empty : prefix.ToString().ToLowerInvariant();
}
