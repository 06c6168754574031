using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirIntrathecal.Sandbox;
using FhirIntrathecal.Service.Outbox;

namespace FhirIntrathecal.Service.Tests.Support;

public static class TestData
{
    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string PatientJson(string system, string value) =>
        new JsonObject
        {
            ["resourceType"] = "Patient",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = system, ["value"] = value }),
            ["gender"] = "female",
            ["birthDate"] = "1970",
        }.ToJsonString();

    public static string Value(int i) => $"p{i:D6}";

    /// <summary>Writes <paramref name="count"/> Patients as NDJSON files of <paramref name="perFile"/>, each under a .part name first and then renamed, as a well-behaved producer does.</summary>
    public static async Task WriteNdjsonAsync(string inbox, string system, int start, int count, int perFile)
    {
        Directory.CreateDirectory(inbox);
        for (var first = start; first < start + count; first += perFile)
        {
            var sb = new StringBuilder();
            for (var i = first; i < Math.Min(first + perFile, start + count); i++)
            {
                sb.Append(PatientJson(system, Value(i))).Append('\n');
            }

            var name = Path.Combine(inbox, $"patients-{first:D6}.ndjson");
            await File.WriteAllTextAsync(name + ".part", sb.ToString());
            File.Move(name + ".part", name);
        }
    }

    /// <summary>Every Patient identifier value in the sandbox with <paramref name="system"/>, with how often it occurs.</summary>
    public static Task<Dictionary<string, int>> PatientIdentifiersAsync(Uri baseUri, string system) => IdentifiersAsync(baseUri, "Patient", system);

    /// <summary>Every identifier value with <paramref name="system"/> on resources of <paramref name="type"/> in the sandbox, with how often it occurs.</summary>
    public static async Task<Dictionary<string, int>> IdentifiersAsync(Uri baseUri, string type, string system)
    {
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var offset = 0; offset < 1_000_000; offset += 1000)
        {
            var page = JsonNode.Parse(await http.GetStringAsync($"{type}?_count=1000&_offset={offset}"))!;
            var entries = page["entry"]?.AsArray();
            if (entries is null || entries.Count == 0)
            {
                break;
            }

            foreach (var e in entries)
            {
                foreach (var id in e!["resource"]!["identifier"]?.AsArray() ?? [])
                {
                    if ((string?)id!["system"] == system && (string?)id["value"] is { } v)
                    {
                        counts[v] = counts.GetValueOrDefault(v) + 1;
                    }
                }
            }
        }

        return counts;
    }

    /// <summary>lost = expected values absent; duplicated = resources beyond one per value (and values never sent).</summary>
    public static (int Lost, int Duplicated) Compare(IReadOnlyDictionary<string, int> found, IEnumerable<string> expected)
    {
        var expectedSet = expected.ToHashSet(StringComparer.Ordinal);
        var lost = expectedSet.Count(v => !found.ContainsKey(v));
        var duplicated = found.Sum(kv => expectedSet.Contains(kv.Key) ? kv.Value - 1 : kv.Value);
        return (lost, duplicated);
    }

    public static async Task<OutboxStats> WaitForDrainAsync(IOutboxStore store, long expectedSettled, TimeSpan timeout, Func<bool>? abort = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var stats = await store.GetStatsAsync(CancellationToken.None);
            if (stats.Delivered + stats.Dead >= expectedSettled && stats.Pending + stats.Leased == 0)
            {
                return stats;
            }

            if (DateTime.UtcNow > until || abort?.Invoke() == true)
            {
                throw new TimeoutException($"outbox not drained: {stats}");
            }

            await Task.Delay(250);
        }
    }

    public static Task<SandboxServer> StartSandboxAsync(int port = 0) =>
        SandboxServer.StartAsync(new SandboxOptions { Port = port, StartupTimeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);

    public static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
