using System.Diagnostics;
using System.Globalization;

namespace FhirIntrathecal.Fhir.Tests.Support;

/// <summary>
/// CPU time spent by the calling thread, for tests that compare the cost of two workloads: unlike wall time it does not
/// depend on what else the shared machine runs. Linux: /proc/thread-self/stat (utime + stime, in clock ticks); elsewhere
/// the process's CPU time.
/// </summary>
public static class ThreadCpu
{
    private const string StatFile = "/proc/thread-self/stat";

    /// <summary>CPU time the action took on this thread, after a full collection so earlier garbage is not billed to it.</summary>
    public static TimeSpan Measure(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Now();
        action();
        return Now() - before;
    }

    private static TimeSpan Now()
    {
        if (!File.Exists(StatFile))
        {
            return Process.GetCurrentProcess().TotalProcessorTime;
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): state is field 3,
        // utime 14 and stime 15, in ticks of USER_HZ (100 on Linux).
        var stat = File.ReadAllText(StatFile);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
