using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// The one BenchmarkDotNet job of every suite here: one launch, the given warm-up and measured iterations, under the
/// runtime settings the CLI ships with (.NET's defaults: workstation GC with background collections), ours and every
/// peer (Firely, System.Text.Json) in the same job.
/// <para>
/// No full GC is forced before each iteration (BenchmarkDotNet's default forces one): an iteration here is a whole
/// corpus, and the forced blocking collection hands the heap's memory back to the OS, so the next iteration first
/// faults it back in, a cost a bulk read never pays (README, "Ours beside Firely's SDK", has the figures).
/// </para>
/// <para>
/// <c>--gc-nonconcurrent</c> (set by Program) runs the jobs without background GC: measured and not adopted (README,
/// "GC settings": the parse is faster, the NDJSON reader's peak working set goes over its bound); kept runnable so the
/// trade-off can be re-measured.
/// </para>
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BenchJobAttribute(int warmupCount, int iterationCount)
    : JobConfigBaseAttribute(Configure(Job.Default.WithLaunchCount(1).WithWarmupCount(warmupCount).WithIterationCount(iterationCount).WithGcForce(false)))
{
    /// <summary>Set by Program from <c>--gc-nonconcurrent</c>, before any job is built.</summary>
    public static bool NonConcurrentGc { get; set; }

    private static Job Configure(Job job) => NonConcurrentGc ? job.WithGcConcurrent(false) : job;
}
