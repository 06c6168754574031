using System.Diagnostics;

namespace FhirIntrathecal.Cli.Tests;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs the built fhir-intrathecal CLI as a child process.</summary>
public static class CliRunner
{
    public static string RepoRoot { get; } = FindRoot();

    internal static string CliDll
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return Path.Combine(RepoRoot, "src", "FhirIntrathecal.Cli", "bin", configuration, "net10.0", "fhir-intrathecal.dll");
        }
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(5), args);

    /// <summary>Runs the CLI; past <paramref name="timeout"/> the process tree is killed (nothing left running) and the test fails.</summary>
    public static async Task<CliResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fhir-intrathecal {string.Join(' ', args)} ran longer than {timeout}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The seed-0 registry written under <paramref name="dir"/>/registry and converted (by the CLI) to <paramref name="dir"/>/fhir.</summary>
    public static async Task<(string Registry, string Fhir)> ConvertSeed0Async(string dir)
    {
        var registry = Path.Combine(dir, "registry");
        FhirIntrathecal.Mapping.RegistryFiles.RegistryCsv.WriteFolder(FhirIntrathecal.Mapping.Cohort.CohortGenerator.Generate(0), registry);
        var fhir = Path.Combine(dir, "fhir");
        var convert = await RunAsync("convert", registry, "--out", fhir, "--recorded", "2024-01-01T00:00:00Z");
        Assert.True(convert.ExitCode == 0, convert.StdErr);
        return (registry, fhir);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirIntrathecal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FhirIntrathecal.sln not found");
    }
}
