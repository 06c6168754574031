namespace FhirIntrathecal.Sandbox;

/// <summary>How to start the FHIR sandbox. Every property has a usable default.</summary>
public sealed record SandboxOptions
{
    /// <summary>The tools/fhir-sandbox folder; found by walking up from the app and the current directory when null.</summary>
    public string? SandboxDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 lets the OS choose a free one.</summary>
    public int Port { get; init; }

    /// <summary>The node executable (name on PATH or full path).</summary>
    public string NodeExecutable { get; init; } = "node";

    /// <summary>The npm executable (name on PATH or full path), used when node_modules must be installed.</summary>
    public string NpmExecutable { get; init; } = "npm";

    /// <summary>How long the server may take to print its listening line (node loads the engine slowly on a busy host).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long <c>npm ci</c> may take, including the wait for another process already running it.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
