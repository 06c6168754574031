using System.Globalization;
using System.Text;
using System.Text.Json;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;
using FhirIntrathecal.Mapping.RegistryFiles.Pump;

namespace FhirIntrathecal.Mapping.Report;

/// <summary>Renders a <see cref="PumpReport"/> as JSON (fixed keys, every figure) or Markdown, beside the single-shot <see cref="ReportWriter"/>.</summary>
public static class PumpReportWriter
{
    public static string ToJson(PumpReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("patients", r.Patients);
            w.WriteStartObject("patientsByIndication");
            foreach (var (indication, patients) in r.ByIndication)
            {
                w.WriteNumber(Code(indication), patients);
            }

            w.WriteEndObject();
            w.WriteStartArray("dailyDoseByYear");
            foreach (var (year, mean, pumps) in r.DailyDoseByYear)
            {
                w.WriteStartObject();
                w.WriteNumber("year", year);
                w.WriteNumber("meanUgPerDay", mean);
                w.WriteNumber("pumps", pumps);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("refillIntervals", r.RefillIntervals);
            w.WriteNumber("refillIntervalMeanDays", r.MeanRefillIntervalDays);
            w.WriteNumber("refillIntervalMedianDays", r.MedianRefillIntervalDays);
            w.WriteStartObject("complicationsPer100PumpYears");
            w.WriteNumber("events", r.Complications.Events);
            w.WriteNumber("pumpYears", r.Complications.PumpYears);
            w.WriteNumber("rate", r.Complications.Rate);
            w.WriteNumber("lower95", r.Complications.Lower);
            w.WriteNumber("upper95", r.Complications.Upper);
            w.WriteEndObject();
            w.WriteNumber("masBefore", r.MasBefore);
            w.WriteNumber("masAfter", r.MasAfter);
            w.WriteStartArray("timeToFirstComplication");
            foreach (var s in r.TimeToFirstComplication)
            {
                w.WriteStartObject();
                w.WriteNumber("months", s.Months);
                w.WriteNumber("atRisk", s.AtRisk);
                w.WriteNumber("events", s.Events);
                w.WriteNumber("survival", s.Survival);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string ToMarkdown(PumpReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Intrathecal pump therapy: study table").AppendLine();
        sb.AppendLine("| Measure | Value |").AppendLine("|---|---|");
        void Row(string name, string value) => sb.Append("| ").Append(name).Append(" | ").Append(value).AppendLine(" |");
        Row("Patients", r.Patients.ToString(c));
        Row("Patients by indication", string.Join(", ", r.ByIndication.Select(x => string.Create(c, $"{Code(x.Indication)} {x.Patients}"))));
        Row("Refill interval, mean / median days (intervals)", string.Create(c, $"{r.MeanRefillIntervalDays} / {r.MedianRefillIntervalDays} ({r.RefillIntervals})"));
        var k = r.Complications;
        Row("Device complications per 100 pump-years (95% CI)", string.Create(c, $"{k.Rate} ({k.Lower}–{k.Upper}); {k.Events} in {k.PumpYears} pump-years"));
        Row("Mean MAS before / a year or more after the implant", string.Create(c, $"{r.MasBefore} / {r.MasAfter}"));
        Row("Free of a device complication at the last event", r.TimeToFirstComplication.Count == 0 ? "1" : string.Create(c, $"{r.TimeToFirstComplication[^1].Survival} at {r.TimeToFirstComplication[^1].Months} months"));
        sb.AppendLine().AppendLine("| Year (1 July) | Mean daily dose, ug/d | Pumps running |").AppendLine("|---|---|---|");
        foreach (var (year, mean, pumps) in r.DailyDoseByYear)
        {
            sb.AppendLine(string.Create(c, $"| {year} | {mean} | {pumps} |"));
        }

        return sb.ToString();
    }

    /// <summary>
    /// The pump records at <paramref name="path"/> when it holds any: a pump registry folder (implants.csv), or FHIR
    /// (a folder written by convert or pull) with pump resources (an IG pump profile). Null otherwise. A registry row
    /// that does not parse goes to <paramref name="error"/> (located) and is left out, as in the single-shot report.
    /// </summary>
    public static PumpRegistry? TryLoad(string path, Action<string> error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Directory.Exists(path) && PumpRegistryCsv.IsPumpRegistry(path))
        {
            var read = PumpRegistryCsv.ReadFolder(path);
            foreach (var e in read.Errors)
            {
                error(e.ToString());
            }

            return read.Registry;
        }

        if (!Directory.Exists(path))
        {
            return null;
        }

        var resources = FhirFiles.Read(path).ToList();
        return resources.Any(r => r.Resource.Meta?.Profile.Any(p => p.Value?.Contains("/StructureDefinition/itp-", StringComparison.Ordinal) == true) == true)
            ? FhirToPump.Read(resources)
            : null;
    }

    private static string Code(PumpIndication i) => PumpCodes.Indication.Format(i);
}
