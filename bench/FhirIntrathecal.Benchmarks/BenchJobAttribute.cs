using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// The one BenchmarkDotNet job of every suite here: one launch, the given warm-up and measured iterations, under the
/// runtime settings the CLI ships with (.NET's defaults: workstation GC with background collections), ours and every
/// peer (Firely, System.Text.Json) in the same job.
/// <para>
/// No full GC is forced before each iteration (BenchmarkDotNet's default forces one): an iteration here is a whole
/// corpus (about a second and 130 MB of allocation for our parse), and the forced blocking collection hands the heap's
/// memory back to the OS, so the next iteration first faults it back in. On this 2-core VM that made our parse
/// 1,006–1,079 ms instead of 592 ms (716 ms with forced collections and <c>DOTNET_GCRetainVM=1</c>, which keeps the
/// memory); a bulk read never pays it, and the in-process loop without forced collections gives the same ≈ 600 ms.
/// </para>
/// <para>
/// <c>--gc-nonconcurrent</c> (set by Program) runs the jobs without background GC: measured and not adopted (README,
/// "GC settings": parse 2.4× faster, but the NDJSON reader's peak working set goes from under 300 MB to 541–665 MB);
/// kept runnable so the trade-off can be re-measured.
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
