using BenchmarkDotNet.Running;

// Runs any benchmark class in this assembly: dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- --filter '*Json*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
