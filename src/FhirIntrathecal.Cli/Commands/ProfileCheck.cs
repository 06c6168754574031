using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.Fhir;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>Validates converted resources against their declared IG profiles and writes one NDJSON line per resource with issues.</summary>
internal static class ProfileCheck
{
    public sealed record Summary(int Resources, int Errors, int Warnings, IReadOnlyList<(string MessageId, int Count)> TopMessages);

    public static Summary Run(IReadOnlyList<Resource> resources, string reportPath)
    {
        var validator = IntrathecalIg.CreateValidator();
        var results = new FhirIntrathecal.Fhir.Validation.ValidationResult[resources.Count];
        Parallel.For(0, resources.Count, i => results[i] = validator.Validate(resources[i]));

        int errors = 0, warnings = 0;
        var byMessage = new Dictionary<string, int>(StringComparer.Ordinal);
        using var report = File.Create(reportPath);
        using var writer = new Utf8JsonWriter(report, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        for (var i = 0; i < resources.Count; i++)
        {
            var result = results[i];
            errors += result.ErrorCount;
            warnings += result.WarningCount;
            foreach (var issue in result.Issues.Where(x => x.Severity is IssueSeverity.Error or IssueSeverity.Fatal or IssueSeverity.Warning))
            {
                var key = $"{issue.Severity.ToString().ToLowerInvariant()} {issue.MessageId}: {Shorten(issue.Message)}";
                byMessage[key] = byMessage.GetValueOrDefault(key) + 1;
            }

            if (result.ErrorCount + result.WarningCount == 0)
            {
                continue;
            }

            writer.Reset(report);
            writer.WriteStartObject();
            writer.WriteString("resource", $"{resources[i].TypeInfo.Name}/{resources[i].Id}");
            writer.WriteNumber("errors", result.ErrorCount);
            writer.WriteNumber("warnings", result.WarningCount);
            writer.WritePropertyName("outcome");
            FhirJsonSerializer.Write(writer, result.ToOperationOutcome());
            writer.WriteEndObject();
            writer.Flush();
            report.WriteByte((byte)'\n');
        }

        static string Shorten(string m) => m.Length > 90 ? m[..87] + "..." : m;

        var top = byMessage.OrderByDescending(kv => kv.Value).Take(5).Select(kv => (kv.Key, kv.Value)).ToList();
        return new Summary(resources.Count, errors, warnings, top);
    }
}
