using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Tests.Support;

/// <summary>
/// The ways the "same input everywhere" tests drive a host: the real CLI in a child process, the adapter's inbox and its
/// intake endpoint in-process (each against the sandbox it is given), with the waits they need.
/// </summary>
internal static class HostRuns
{
    /// <summary>What the intake answered, with each issue's diagnostics text, after the accepted records drained.</summary>
    public sealed record IntakeAnswer(HttpStatusCode Status, string Outcome, string Diagnostics);

    /// <summary>A free TCP port on the loopback interface.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Polls until <paramref name="done"/> (two minutes at most: then the test fails naming what it waited for).</summary>
    public static async Task WaitAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>Copies a folder's files so that the folder appears at once (staged, then moved), as a drop into an inbox.</summary>
    public static void CopyFolder(string from, string to)
    {
        var staging = to + ".part";
        Directory.CreateDirectory(staging);
        foreach (var f in Directory.GetFiles(from))
        {
            File.Copy(f, Path.Combine(staging, Path.GetFileName(f)));
        }

        Directory.Move(staging, to);
    }

    /// <summary>Runs the real <c>fhir-intrathecal</c> command in <paramref name="work"/>.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> CliAsync(string work, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(ServiceProcess.CliDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Starts the adapter with its inbox on <paramref name="work"/>/inbox, lets <paramref name="drop"/> put the input
    /// there, waits for the quarantine report <paramref name="report"/> and for <paramref name="transactions"/> settled
    /// outbox items, stops, and returns the report's text.
    /// </summary>
    public static async Task<string> InboxAsync(Uri server, string work, Action<string> drop, string report, long transactions)
    {
        var inbox = Path.Combine(work, "inbox");
        Directory.CreateDirectory(inbox);
        drop(inbox);
        using var host = AdapterHost.Build(ServeArgs.For(server, work).ToArray());
        await host.StartAsync();
        var path = Path.Combine(inbox, "quarantine", report);
        await WaitAsync(() => File.Exists(path), $"the inbox to quarantine {report}");
        await WaitForDrainAsync(work, transactions);
        await host.StopAsync();
        return await File.ReadAllTextAsync(path);
    }

    /// <summary>
    /// Starts the adapter with only its intake (anonymous on loopback), posts <paramref name="content"/> to
    /// <paramref name="route"/>, waits for <paramref name="transactions"/> settled outbox items and stops.
    /// </summary>
    public static async Task<IntakeAnswer> IntakeAsync(Uri server, string work, string route, HttpContent content, long transactions)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        using var host = AdapterHost.Build([.. ServeArgs.For(server, work), "--Adapter:Inbox:Enabled=false", "--Adapter:Intake:Enabled=true", "--Adapter:Intake:AllowAnonymousOnLoopback=true", $"--Adapter:Intake:Url={url}"]);
        await host.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var answer = await http.PostAsync(route, content);
        var outcome = await answer.Content.ReadAsStringAsync();
        await WaitForDrainAsync(work, transactions);
        await host.StopAsync();
        var issues = JsonNode.Parse(outcome)?["issue"]?.AsArray().Select(i => (string?)i!["diagnostics"] ?? string.Empty) ?? [];
        return new IntakeAnswer(answer.StatusCode, outcome, string.Join('\n', issues));
    }

    /// <summary>The named files of a folder as multipart/form-data CSV parts, as a registry is posted to the intake.</summary>
    public static MultipartFormDataContent CsvForm(string folder, IEnumerable<string> names)
    {
        var form = new MultipartFormDataContent();
        foreach (var name in names)
        {
            var file = new ByteArrayContent(File.ReadAllBytes(Path.Combine(folder, name)));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, name, name);
        }

        return form;
    }

    private static async Task WaitForDrainAsync(string work, long transactions)
    {
        await using var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
        await TestData.WaitForDrainAsync(store, transactions, TimeSpan.FromMinutes(2));
    }
}
