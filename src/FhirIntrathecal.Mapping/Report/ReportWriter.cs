using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FhirIntrathecal.Mapping.Report;

/// <summary>Renders a <see cref="StudyReport"/> as JSON (fixed key set) or Markdown.</summary>
public static class ReportWriter
{
    /// <summary>The published dose strata (mg); any other dose read gets its own row.</summary>
    private static readonly string[] PublishedStrata = ["2", "3", "4", "5"];

    /// <summary>JSON with exactly the published table's keys, in a fixed order.</summary>
    public static string ToJson(StudyReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("patients", r.Patients);
            w.WriteNumber("male", r.Male);
            w.WriteNumber("female", r.Female);
            w.WriteNumber("administrations", r.Administrations);
            w.WriteNumber("administrationsMale", r.AdministrationsMale);
            w.WriteNumber("administrationsFemale", r.AdministrationsFemale);
            w.WriteNumber("lbp", r.Lbp);
            w.WriteNumber("fbss", r.Fbss);
            w.WriteStartObject("doses");
            foreach (var (dose, count) in r.Doses)
            {
                w.WriteNumber(dose, count);
            }

            w.WriteEndObject();
            w.WriteNumber("reliefMeanWeeks", r.ReliefMeanWeeks);
            w.WriteNumber("reliefMedianWeeks", r.ReliefMedianWeeks);
            w.WriteNumber("reliefAtLeast4WeeksPct", r.ReliefAtLeast4WeeksPct);
            w.WriteNumber("noEffectPct", r.NoEffectPct);
            w.WriteNumber("unknownPct", r.UnknownPct);
            w.WriteStartObject("adverseEventPct");
            w.WriteNumber("drowsiness", r.AdverseEventPct.Drowsiness);
            w.WriteNumber("headache", r.AdverseEventPct.Headache);
            w.WriteNumber("nausea", r.AdverseEventPct.Nausea);
            w.WriteNumber("painWorsening", r.AdverseEventPct.PainWorsening);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string ToMarkdown(StudyReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Single-shot intrathecal midazolam: study table").AppendLine();
        sb.AppendLine("| Measure | Value |").AppendLine("|---|---|");
        void Row(string name, string value) => sb.Append("| ").Append(name).Append(" | ").Append(value).AppendLine(" |");
        Row("Patients (male / female)", string.Create(c, $"{r.Patients} ({r.Male} / {r.Female})"));
        Row("Age at first administration, mean (range)", string.Create(c, $"{r.AgeMean} ({r.AgeMin}–{r.AgeMax})"));
        Row("Administrations (men / women)", string.Create(c, $"{r.Administrations} ({r.AdministrationsMale} / {r.AdministrationsFemale})"));
        Row("Administrations for chronic LBP / FBSS", string.Create(c, $"{r.Lbp} / {r.Fbss}"));
        Row("Most administrations in one patient", r.MaxAdministrationsPerPatient.ToString(c));
        Row("Doses 2 / 3 / 4 / 5 mg", string.Join(" / ", PublishedStrata.Select(d => r.Doses.GetValueOrDefault(d))));
        foreach (var (dose, count) in r.Doses.Where(d => !PublishedStrata.Contains(d.Key)))
        {
            // Never folded into a neighbouring stratum or dropped: each other dose is its own labelled row.
            Row($"Doses of {dose} mg (outside the published strata)", count.ToString(c));
        }

        Row("Relief, mean / median weeks", string.Create(c, $"{r.ReliefMeanWeeks} / {r.ReliefMedianWeeks}"));
        Row("Relief ≥ 4 weeks", string.Create(c, $"{r.ReliefAtLeast4WeeksPct}%"));
        Row("No or negligible effect", string.Create(c, $"{r.NoEffectPct}%"));
        Row("Outcome unknown", string.Create(c, $"{r.UnknownPct}%"));
        Row("Drowsiness / headache / nausea / transient pain worsening", string.Create(c, $"{r.AdverseEventPct.Drowsiness}% / {r.AdverseEventPct.Headache}% / {r.AdverseEventPct.Nausea}% / {r.AdverseEventPct.PainWorsening}%"));
        sb.AppendLine().AppendLine("Percentages: denominator = administrations, rounded half away from zero to a whole percent. Relief mean and median: administrations with a known outcome (no effect = 0 weeks).");
        return sb.ToString();
    }
}
