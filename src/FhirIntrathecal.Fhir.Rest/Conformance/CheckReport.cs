using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FhirIntrathecal.Fhir.Rest.Conformance;

[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    Pass,
    Warn,
    Fail,

    /// <summary>Not applicable: the server does not offer it (e.g. $validate), so nothing was claimed.</summary>
    Skip,
}

/// <summary>One line of the conformance report.</summary>
public sealed record CheckRow(string Area, string Check, CheckStatus Status, string Detail, double Milliseconds);

/// <summary>The report of one <c>check</c> run, with JSON and Markdown renderings.</summary>
public sealed record CheckReport(Uri Server, DateTimeOffset Started, string? Software, string? FhirVersion, IReadOnlyList<CheckRow> Rows)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public int Count(CheckStatus status) => Rows.Count(r => r.Status == status);

    /// <summary>No row failed (warnings and skips allowed).</summary>
    public bool Passed => Count(CheckStatus.Fail) == 0;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# FHIR conformance check: {Server}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Started: {Started:O}\n- Software: {Software ?? "?"}\n- FHIR version: {FhirVersion ?? "?"}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- Result: {(Passed ? "PASS" : "FAIL")} ({Count(CheckStatus.Pass)} pass, {Count(CheckStatus.Warn)} warn, {Count(CheckStatus.Fail)} fail, {Count(CheckStatus.Skip)} skipped)\n\n");
        sb.Append("| Area | Check | Result | Detail | ms |\n| --- | --- | --- | --- | ---: |\n");
        foreach (var r in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {Cell(r.Area)} | {Cell(r.Check)} | {r.Status.ToString().ToUpperInvariant()} | {Cell(r.Detail)} | {r.Milliseconds:0} |\n");
        }

        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
