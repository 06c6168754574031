using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FhirIntrathecal.Sandbox;

/// <summary>
/// A running tools/fhir-sandbox server (Node.js, in-memory FHIR R4) on 127.0.0.1.
/// Disposing it kills the server; so does the end of this process, because the server
/// exits when the stdin pipe this class holds closes.
/// </summary>
public sealed partial class SandboxServer : IAsyncDisposable
{
    private const string ServerScript = "server.mjs";
    private const string InstallStampFile = ".fhir-sandbox-lock-hash";
    private const int MaxCapturedStderrChars = 16_000;

    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private SandboxServer(Process process, StringBuilder stderr, Uri baseUri)
    {
        _process = process;
        _stderr = stderr;
        BaseUri = baseUri;
    }

    /// <summary>The FHIR base, e.g. http://127.0.0.1:40123/fhir/R4/ (with the trailing slash HttpClient.BaseAddress wants).</summary>
    public Uri BaseUri { get; }

    /// <summary>What the server has written to stderr so far (bounded), for diagnostics.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Installs the sandbox's npm packages if needed, starts the server and waits until it listens.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = options.SandboxDirectory ?? FindSandboxDirectory();
        if (!File.Exists(Path.Combine(directory, ServerScript)))
        {
            throw new DirectoryNotFoundException($"No {ServerScript} in FHIR sandbox directory '{directory}'.");
        }

        await EnsurePackagesInstalledAsync(directory, options, ct).ConfigureAwait(false);
        return await LaunchAsync(directory, options, ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(StopAsync(_process));

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        process.Dispose();
    }

    /// <summary>Walks up from the app's folder, then from the current directory, to the repo's tools/fhir-sandbox.</summary>
    public static string FindSandboxDirectory()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "fhir-sandbox");
                if (File.Exists(Path.Combine(candidate, ServerScript)))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException(
            $"tools/fhir-sandbox/{ServerScript} not found above '{AppContext.BaseDirectory}' or '{Directory.GetCurrentDirectory()}'; set SandboxOptions.SandboxDirectory.");
    }

    private static async Task<SandboxServer> LaunchAsync(string directory, SandboxOptions options, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(options.NodeExecutable)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Node 20 has no global WebSocket, which @medplum/core needs at load time; newer Node accepts the flag.
        foreach (var arg in new[] { "--experimental-websocket", ServerScript, "--port", options.Port.ToString(CultureInfo.InvariantCulture), "--exit-on-stdin-close" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var stderr = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (stderr)
            {
                if (stderr.Length < MaxCapturedStderrChars)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{options.NodeExecutable}' (is Node.js 20+ installed and on PATH?): {ex.Message}", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.StartupTimeout);
            var exited = process.WaitForExitAsync(timeout.Token);
            var first = await Task.WhenAny(listening.Task, exited).ConfigureAwait(false);
            if (first == listening.Task)
            {
                return new SandboxServer(process, stderr, await listening.Task.ConfigureAwait(false));
            }

            ct.ThrowIfCancellationRequested();
            var reason = exited.IsCanceled
                ? $"did not report listening within {options.StartupTimeout.TotalSeconds:0.#} s"
                : $"exited with code {process.ExitCode} before listening";
            string captured;
            lock (stderr)
            {
                captured = stderr.ToString();
            }
            throw new InvalidOperationException($"FHIR sandbox in '{directory}' {reason}. stderr:{Environment.NewLine}{captured}");
        }
        catch
        {
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <c>npm ci</c> unless node_modules was installed from the current package-lock.json.
    /// A file lock makes parallel test runs wait for one install instead of clobbering each other's.
    /// </summary>
    private static async Task EnsurePackagesInstalledAsync(string directory, SandboxOptions options, CancellationToken ct)
    {
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(directory, "package-lock.json"), ct).ConfigureAwait(false)));
        var stampPath = Path.Combine(directory, "node_modules", InstallStampFile);
        if (IsInstalled(stampPath, lockHash))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.InstallTimeout);
        await using var installLock = await AcquireFileLockAsync(Path.Combine(directory, ".npm-ci.lock"), timeout.Token).ConfigureAwait(false);
        if (IsInstalled(stampPath, lockHash))
        {
            return;
        }

        var npm = OperatingSystem.IsWindows() && options.NpmExecutable == "npm" ? "npm.cmd" : options.NpmExecutable;
        await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], directory, timeout.Token).ConfigureAwait(false);
        await File.WriteAllTextAsync(stampPath, lockHash, ct).ConfigureAwait(false);
    }

    private static bool IsInstalled(string stampPath, string lockHash) =>
        File.Exists(stampPath) && File.ReadAllText(stampPath).Trim() == lockHash;

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock across processes (flock on Unix).
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunAsync(string fileName, string[] arguments, string directory, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' in '{directory}' failed with exit code {process.ExitCode}:{Environment.NewLine}{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
        }
    }

    [GeneratedRegex(@"^FHIR sandbox listening on (http://127\.0\.0\.1:\d+/fhir/R4)$")]
    private static partial Regex ListeningLine();
}
