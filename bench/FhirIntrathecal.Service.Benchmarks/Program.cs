using System.Diagnostics;
using System.Globalization;
using System.Text;
using FhirIntrathecal.Sandbox;
using FhirIntrathecal.Service;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Hosting;

// The whole adapter pipeline, measured: N Patients as NDJSON in the inbox → parse → outbox (SQLite, WAL, FULL sync)
// → dispatcher → sandbox FHIR server. Prints throughput and the process's peak working set.
//   dotnet run -c Release --project bench/FhirIntrathecal.Service.Benchmarks -- --count 10000
//   dotnet run -c Release --project bench/FhirIntrathecal.Service.Benchmarks -- --count 100000 --ingest-only
// --ingest-only stops at the outbox (no server): shows that memory does not grow with the inbox's size.
var count = Arg("--count", 10_000);
var perFile = Arg("--per-file", 5_000);
var ingestOnly = args.Contains("--ingest-only");
var work = Path.Combine(Path.GetTempPath(), $"service-bench-{Guid.NewGuid().ToString("N")[..8]}");
var inbox = Path.Combine(work, "inbox");
Directory.CreateDirectory(inbox);
try
{
    await WriteInboxAsync(inbox, count, perFile);
    var inboxMb = Directory.EnumerateFiles(inbox).Sum(f => new FileInfo(f).Length) / 1e6;
    await using var sandbox = ingestOnly ? null : await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
    var fhir = sandbox?.BaseUri.ToString() ?? "http://127.0.0.1:9/unused/";
    string[] hostArgs =
    [
        $"--Adapter:Fhir:BaseUrl={fhir}",
        $"--Adapter:Inbox:Path={inbox}",
        $"--Adapter:Outbox:Path={Path.Combine(work, "outbox.db")}",
        "--Adapter:Inbox:SettleTime=00:00:00",
        "--Adapter:Inbox:PollInterval=00:00:00.2",
        "--Adapter:Dispatcher:IdlePollInterval=00:00:00.1",
        // The sandbox's conditional create is a linear scan; see docs/service.md.
        "--Adapter:Dispatcher:ConditionalCreate=OnRetry",
        $"--Adapter:Dispatcher:Enabled={(!ingestOnly).ToString(CultureInfo.InvariantCulture)}",
        "--Logging:LogLevel:Default=Warning",
    ];

    GC.Collect();
    var baseline = Environment.WorkingSet;
    var store = new SqliteOutboxStore(Path.Combine(work, "outbox.db"));
    var sw = Stopwatch.StartNew();
    using var host = AdapterHost.Build(hostArgs);
    await host.StartAsync();
    double ingestSeconds = 0;
    long peakSampled = 0;
    while (true)
    {
        peakSampled = Math.Max(peakSampled, Environment.WorkingSet);
        await Task.Delay(100);
        if (ingestSeconds == 0 && !Directory.EnumerateFiles(inbox).Any())
        {
            ingestSeconds = sw.Elapsed.TotalSeconds;
        }

        var stats = await store.GetStatsAsync(CancellationToken.None);
        if (ingestOnly ? ingestSeconds > 0 : stats.Delivered + stats.Dead >= count)
        {
            break;
        }

        if (sw.Elapsed > TimeSpan.FromMinutes(15))
        {
            throw new TimeoutException($"not done after 15 minutes: {stats}");
        }
    }

    var total = sw.Elapsed.TotalSeconds;
    await host.StopAsync();
    var final = await store.GetStatsAsync(CancellationToken.None);
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"service-bench: {count} resources ({inboxMb:0.0} MB NDJSON, {perFile}/file) {(ingestOnly ? "inbox → outbox" : "inbox → outbox → FHIR server")}: " +
        $"{total:0.0} s, {count / total:0} resources/s; ingest {ingestSeconds:0.0} s ({count / ingestSeconds:0}/s); " +
        $"delivered {final.Delivered}, dead {final.Dead}; peak working set {self.PeakWorkingSet64 / 1e6:0} MB (sampled {peakSampled / 1e6:0} MB, {baseline / 1e6:0} MB before start)"));
    await store.DisposeAsync();
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(work, recursive: true);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task WriteInboxAsync(string inbox, int count, int perFile)
{
    var sb = new StringBuilder();
    for (var first = 0; first < count; first += perFile)
    {
        sb.Clear();
        for (var i = first; i < Math.Min(count, first + perFile); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $$"""{"resourceType":"Patient","identifier":[{"system":"urn:bench","value":"b{{i:D7}}"}],"gender":"female","birthDate":"1970-01-01","name":[{"family":"Bench","given":["P{{i}}"]}]}""").Append('\n');
        }

        var path = Path.Combine(inbox, $"bench-{first:D7}.ndjson");
        await File.WriteAllTextAsync(path + ".part", sb.ToString());
        File.Move(path + ".part", path);
    }
}
