using System.Globalization;
using System.Net;
using System.Text;

namespace FhirIntrathecal.Mapping.Report;

/// <summary>Hand-written SVG bar charts (no chart library): small, dependency-free, diff-able.</summary>
public static class SvgCharts
{
    /// <summary>Writes patients.svg, administrations.svg, diagnoses.svg, doses.svg and relief-histogram.svg.</summary>
    public static IReadOnlyList<string> WriteAll(StudyReport r, string folder)
    {
        ArgumentNullException.ThrowIfNull(r);
        Directory.CreateDirectory(folder);
        var charts = new (string File, string Title, (string Label, int Value)[] Bars)[]
        {
            ("patients.svg", "Patients by sex", [("male", r.Male), ("female", r.Female)]),
            ("administrations.svg", "Administrations by sex", [("men", r.AdministrationsMale), ("women", r.AdministrationsFemale)]),
            ("diagnoses.svg", "Administrations by diagnosis", [("chronic LBP", r.Lbp), ("FBSS", r.Fbss)]),
            ("doses.svg", "Administrations by dose (mg)", r.Doses.Select(d => ($"{d.Key} mg", d.Value)).ToArray()),
            ("relief-histogram.svg", "Duration of relief (weeks, known outcomes)", Histogram(r.ReliefWeeksHistogram)),
        };
        var written = new List<string>();
        foreach (var (file, title, bars) in charts)
        {
            var path = Path.Combine(folder, file);
            File.WriteAllText(path, BarChart(title, bars));
            written.Add(path);
        }

        return written;
    }

    /// <summary>Weeks binned 0, 1–3, 4–7, 8–11, …, 48+.</summary>
    private static (string, int)[] Histogram(IReadOnlyDictionary<int, int> weeks)
    {
        var bins = new List<(string Label, int Low, int High)> { ("0", 0, 0), ("1-3", 1, 3) };
        for (var low = 4; low < 48; low += 4)
        {
            bins.Add(($"{low}-{low + 3}", low, low + 3));
        }

        bins.Add(("48+", 48, int.MaxValue));
        return bins.Select(b => (b.Label, weeks.Where(w => w.Key >= b.Low && w.Key <= b.High).Sum(w => w.Value))).ToArray();
    }

    public static string BarChart(string title, IReadOnlyList<(string Label, int Value)> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        const int barWidth = 48, gap = 16, left = 50, top = 40, plot = 220;
        var width = left + (bars.Count * (barWidth + gap)) + gap;
        var height = top + plot + 50;
        var max = Math.Max(1, bars.Max(b => b.Value));
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(c, $"  <title>{WebUtility.HtmlEncode(title)}</title>\n");
        sb.Append(c, $"  <text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>\n");
        sb.Append(c, $"  <line x1=\"{left - 5}\" y1=\"{top + plot}\" x2=\"{width - 5}\" y2=\"{top + plot}\" stroke=\"#333\"/>\n");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var h = (int)Math.Round((double)plot * value / max);
            var x = left + gap + (i * (barWidth + gap));
            sb.Append(c, $"  <rect x=\"{x}\" y=\"{top + plot - h}\" width=\"{barWidth}\" height=\"{h}\" fill=\"#4a78b0\"><title>{WebUtility.HtmlEncode(label)}: {value}</title></rect>\n");
            sb.Append(c, $"  <text x=\"{x + (barWidth / 2)}\" y=\"{top + plot - h - 4}\" text-anchor=\"middle\">{value}</text>\n");
            sb.Append(c, $"  <text x=\"{x + (barWidth / 2)}\" y=\"{top + plot + 16}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(label)}</text>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
