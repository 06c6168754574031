using System.Diagnostics;
using Npgsql;

namespace FhirIntrathecal.Service.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster on 127.0.0.1 and a free port: initdb into a temp folder, pg_ctl start, removed at
/// the end. As root it runs the server as the unprivileged 'fhirpg' user (created here if scripts/ensure-postgres.sh
/// has not), because postgres refuses to run as root. When no binaries exist, <see cref="SkipReason"/> says why.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string ServiceUser = "fhirpg";
    private static readonly string[] Tools = ["initdb", "pg_ctl", "postgres"];
    private string? _bin;
    private string? _dir;
    private bool _asServiceUser;

    public string? SkipReason { get; private set; }

    public string AdminConnectionString { get; private set; } = string.Empty;

    private int Port { get; set; }

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinaries();
        if (_bin is null)
        {
            SkipReason = "PostgreSQL binaries (initdb, pg_ctl, postgres) not found in $PG_BIN, /usr/local/bin or /usr/lib/postgresql/*/bin; run scripts/ensure-postgres.sh";
            return;
        }

        try
        {
            _asServiceUser = Environment.UserName == "root";
            if (_asServiceUser)
            {
                await RunAsync("/bin/sh", ["-c", $"id {ServiceUser} >/dev/null 2>&1 || useradd --system --no-create-home {ServiceUser}"]);
            }

            _dir = Path.Combine(Path.GetTempPath(), "fhir-pg-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_dir);
            if (_asServiceUser)
            {
                await RunAsync("chown", ["-R", ServiceUser, _dir]);
            }

            var data = Path.Combine(_dir, "data");
            await RunPgAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
            Port = HostRuns.FreePort();
            // fsync off: the tests kill adapter processes, never the machine; durability of this cluster is not under test.
            await RunPgAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "-o",
                $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"]);
            AdminConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=15";
        }
#pragma warning disable CA1031 // Any failure to start becomes a printed skip reason, as the issue asks.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SkipReason = $"PostgreSQL could not be started: {ex.Message}";
        }
    }

    /// <summary>A fresh database for one test, so tests never see each other's outbox rows.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var c = new NpgsqlConnection(AdminConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        await cmd.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=15;Maximum Pool Size=20";
    }

    public async ValueTask DisposeAsync()
    {
        if (_dir is null)
        {
            return;
        }

        try
        {
            await RunPgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);
        }
#pragma warning disable CA1031 // Cleanup is best effort.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("PG_BIN"), "/usr/local/bin" };
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => !string.IsNullOrEmpty(d) && Tools.All(f => File.Exists(Path.Combine(d, f))));
    }

    private Task RunPgAsync(string tool, string[] args)
    {
        var exe = Path.Combine(_bin!, tool);
        return _asServiceUser ? RunAsync("runuser", ["-u", ServiceUser, "--", exe, .. args]) : RunAsync(exe, args);
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
