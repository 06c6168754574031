namespace FhirIntrathecal.Benchmarks;

/// <summary>What the console benchmarks print about the process and machine they measured on.</summary>
internal static class RunEnvironment
{
    /// <summary>The GC this process runs: server or workstation, whether without background collections (Batch), and ConserveMemory (from the CLI's Runtime.props).</summary>
    public static string Gc() =>
        (System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")
        + (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? " non-concurrent" : "")
        + (AppContext.GetData("System.GC.ConserveMemory") is { } conserve ? $", ConserveMemory {conserve}" : "");

    /// <summary>The one-minute load average (where /proc has one), so a figure can be read against what else ran.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
