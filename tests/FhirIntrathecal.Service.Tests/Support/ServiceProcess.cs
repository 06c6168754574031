using System.Diagnostics;
using System.Text;

namespace FhirIntrathecal.Service.Tests.Support;

/// <summary>The real `fhir-intrathecal serve` as a child process: started with --Adapter:... arguments, killed hard (SIGKILL) or stopped with SIGTERM.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int MaxLogChars = 200_000;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>src/FhirIntrathecal.Cli/bin/&lt;same configuration as the tests&gt;/net10.0/fhir-intrathecal.dll.</summary>
    public static string CliDll
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testBin.Name;
            var configuration = testBin.Parent!.Name;
            for (var dir = testBin; dir is not null; dir = dir.Parent)
            {
                var dll = Path.Combine(dir.FullName, "src", "FhirIntrathecal.Cli", "bin", configuration, framework, "fhir-intrathecal.dll");
                if (File.Exists(dll))
                {
                    return dll;
                }
            }

            throw new FileNotFoundException("fhir-intrathecal.dll not found; build src/FhirIntrathecal.Cli in the tests' configuration.");
        }
    }

    public static ServiceProcess Start(string workingDirectory, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(CliDll);
        psi.ArgumentList.Add("serve");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = psi };
        var sp = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => sp.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sp.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sp;
    }

    /// <summary>Waits for the host's "Application started" line (needs Microsoft.Hosting.Lifetime at Information).</summary>
    public async Task WaitStartedAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!Log.Contains("Application started", StringComparison.Ordinal))
        {
            if (HasExited || DateTime.UtcNow > until)
            {
                throw new TimeoutException($"serve did not start: {Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>kill -9: no finally blocks, no flush, no lease release.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd stops a unit, once the host is up (before, SIGTERM just ends the process: 143); waits for the graceful shutdown.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            await WaitStartedAsync(timeout);
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillHardAsync();
            throw new TimeoutException($"serve did not stop within {timeout.TotalSeconds} s after SIGTERM");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillHardAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < MaxLogChars)
            {
                _log.AppendLine(line);
            }
        }
    }
}
