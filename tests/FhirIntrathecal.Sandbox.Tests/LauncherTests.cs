using System.Net;
using System.Net.Sockets;

namespace FhirIntrathecal.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class LauncherTests(SandboxFixture fixture)
{
    [Fact]
    public void The_server_listens_on_loopback_under_fhir_R4()
    {
        Assert.Equal("127.0.0.1", fixture.Server.BaseUri.Host);
        Assert.NotEqual(0, fixture.Server.BaseUri.Port);
        Assert.Equal("/fhir/R4/", fixture.Server.BaseUri.AbsolutePath);
    }

    [Fact]
    public async Task Dispose_stops_the_server()
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        var port = server.BaseUri.Port;
        using (var http = new HttpClient { BaseAddress = server.BaseUri })
        {
            using var response = await http.GetAsync("metadata");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await server.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_server_that_dies_at_startup_reports_its_stderr()
    {
        var options = new SandboxOptions { Port = fixture.Server.BaseUri.Port };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SandboxServer.StartAsync(options, CancellationToken.None));
        Assert.Contains("EADDRINUSE", error.Message);
    }

    [Fact]
    public async Task A_missing_sandbox_directory_is_reported()
    {
        var options = new SandboxOptions { SandboxDirectory = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString()) };
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => SandboxServer.StartAsync(options, CancellationToken.None));
    }

    [Fact]
    public async Task Parallel_starts_on_a_fresh_copy_install_the_packages_once_and_both_serve()
    {
        var source = SandboxServer.FindSandboxDirectory();
        var copy = Directory.CreateTempSubdirectory("fhir-sandbox-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                if (relative.StartsWith("node_modules", StringComparison.Ordinal))
                {
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
                File.Copy(file, Path.Combine(copy, relative));
            }

            var options = new SandboxOptions { SandboxDirectory = copy };
            var servers = await Task.WhenAll(
                SandboxServer.StartAsync(options, CancellationToken.None),
                SandboxServer.StartAsync(options, CancellationToken.None));
            try
            {
                Assert.NotEqual(servers[0].BaseUri, servers[1].BaseUri);
                using var http = new HttpClient();
                foreach (var server in servers)
                {
                    using var response = await http.GetAsync(new Uri(server.BaseUri, "metadata"));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
            finally
            {
                foreach (var server in servers)
                {
                    await server.DisposeAsync();
                }
            }
            Assert.True(File.Exists(Path.Combine(copy, "node_modules", ".fhir-sandbox-lock-hash")));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
