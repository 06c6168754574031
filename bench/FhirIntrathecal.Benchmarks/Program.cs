using BenchmarkDotNet.Running;
using FhirIntrathecal.Benchmarks;

// A measured console path, not a BenchmarkDotNet class: it needs a live server (the sandbox) and minutes, not microseconds.
// dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- push-throughput [--parallel N] [--rounds N]
if (args is ["push-throughput", .. var rest])
{
    return await PushThroughput.RunAsync(rest);
}

// Where parse allocation goes: dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- alloc-profile
if (args is ["alloc-profile"])
{
    return AllocationProfile.Run();
}

// Parse ratios measured paired (ours, JsonDocument.Parse, Firely Ostrich in turn, in one process):
// dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- parse-paired [--rounds 12]
if (args is ["parse-paired", .. var pairedArgs])
{
    return ParsePaired.Run(pairedArgs);
}

// NDJSON streaming at scale (peak working set, throughput vs in memory):
// dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- ndjson-stream [--gb 2]
if (args is ["ndjson-stream", .. var streamArgs])
{
    return await NdjsonStream.RunAsync(streamArgs);
}

// A fresh process per run, parse + validate one resource, ours vs Firely:
// dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- cold-start [--runs 5]
if (args is ["cold-start", .. var coldArgs])
{
    return await ColdStart.RunAsync(coldArgs);
}

// Runs any benchmark class in this assembly: dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- --filter '*Json*'
// [--gc-nonconcurrent]: every job without background GC (BenchJobAttribute says why that is not the default).
BenchJobAttribute.NonConcurrentGc = args.Contains("--gc-nonconcurrent");
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(a => a != "--gc-nonconcurrent")]);
return 0;
