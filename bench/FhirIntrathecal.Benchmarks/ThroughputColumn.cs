using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// Derived columns so the summary prints throughput directly: MB/s and resources/s from the mean time of one
/// operation over the whole corpus, and allocated bytes per resource.
/// </summary>
public sealed class ThroughputColumn(string name) : IColumn
{
    /// <summary>
    /// Bytes and resources one operation processes, by "Class.Method". Filled by each benchmark class's static
    /// constructor-free registration in the host process (the summary is rendered there, not in the benchmark child).
    /// </summary>
    public static Dictionary<string, Func<(long Bytes, int Resources)>> Work { get; } = [];

    private static readonly Dictionary<string, (long Bytes, int Resources)> Computed = [];

    public string Id => nameof(ThroughputColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{name} over the corpus processed by one operation";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        var mean = report?.ResultStatistics?.Mean;
        var key = benchmarkCase.Descriptor.Type.Name + "." + benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (mean is null || !Work.TryGetValue(key, out var measure))
        {
            return "-";
        }

        if (!Computed.TryGetValue(key, out var work))
        {
            Computed[key] = work = measure();
        }

        var allocated = report!.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return name switch
        {
            "MB/s" => (work.Bytes / 1e6 / (mean.Value / 1e9)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture),
            "resources/s" => (work.Resources / (mean.Value / 1e9)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture),
            "B/input B" => allocated is null ? "-" : (allocated.Value / (double)work.Bytes).ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
            _ => allocated is null ? "-" : (allocated.Value / (double)work.Resources).ToString("F0", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
