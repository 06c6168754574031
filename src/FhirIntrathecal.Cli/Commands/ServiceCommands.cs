using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FhirIntrathecal.Service;
using FhirIntrathecal.Service.Health;
using FhirIntrathecal.Service.Options;
using FhirIntrathecal.Service.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// <c>serve</c>, <c>health</c> and <c>outbox list|retry|purge</c>. Configuration comes from appsettings.json in the
/// current directory, <c>--config file</c>, FHIRINTRATHECAL_ variables and <c>--Adapter:Key=value</c> arguments.
/// </summary>
internal static class ServiceCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Serve()
    {
        var config = ConfigOption();
        var command = new Command("serve", "Run the adapter: watch the inbox, keep the durable outbox, push to the FHIR server") { config };
        command.TreatUnmatchedTokensAsErrors = false;
        // A synchronous action on purpose: System.CommandLine cuts an async action off 2 s after SIGTERM (exit 143),
        // which would abort the graceful shutdown. The host's own console lifetime handles SIGTERM/Ctrl+C instead and
        // waits for in-flight pushes to finish.
        command.SetAction(parse =>
        {
            // Checked before the host exists, so a refused configuration is a few lines, not the host's failure log.
            if (AdapterHost.Problems(Args(parse, config)) is { Count: > 0 } problems)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine("serve: " + problem);
                }

                return ExitCodes.Usage;
            }

            using var host = AdapterHost.Build(Args(parse, config));
            try
            {
                host.Run();
                return ExitCodes.Ok;
            }
            catch (OptionsValidationException ex)
            {
                Console.Error.WriteLine("serve: invalid configuration:");
                foreach (var failure in ex.Failures)
                {
                    Console.Error.WriteLine("  " + failure);
                }

                return ExitCodes.Usage;
            }
        });
        return command;
    }

    public static Command Health()
    {
        var config = ConfigOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("health", "Outbox depth, oldest pending age, last success, circuit state; exit 1 when degraded") { config, json };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(Guarded(async (parse, ct) =>
        {
            await using var store = await OpenStoreAsync(parse, config, ct).ConfigureAwait(false);
            var report = await HealthReport.BuildAsync(store, null, TimeProvider.System, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Json));
            }
            else
            {
                Console.WriteLine($"status: {report.Status}");
                Console.WriteLine($"outbox depth: {report.OutboxDepth} ({report.Leased} leased), delivered: {report.Delivered}, dead letters: {report.DeadLetters}");
                Console.WriteLine($"oldest pending: {(report.OldestPendingAgeSeconds is { } s ? $"{s:0} s" : "none")}");
                Console.WriteLine($"last success: {report.LastSuccessAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}");
                Console.WriteLine($"circuit: {report.Circuit}");
            }

            return report.Status == "degraded" ? ExitCodes.DataRefused : ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Outbox()
    {
        var config = ConfigOption();
        var statusOption = new Option<string>("--status") { Description = "dead (default), pending, leased, delivered or all", DefaultValueFactory = _ => "dead" };
        statusOption.OneOf("dead", "pending", "leased", "delivered", "all");
        var limit = new Option<int>("--limit") { Description = "Rows to show", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print rows as JSON (with the server's OperationOutcome)" };
        var list = new Command("list", "Show outbox items, dead letters by default") { config, statusOption, limit, json };
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction(Guarded(async (parse, ct) =>
        {
            await using var store = await OpenStoreAsync(parse, config, ct).ConfigureAwait(false);
            var status = parse.GetValue(statusOption) is "all" ? (OutboxItemStatus?)null : Enum.Parse<OutboxItemStatus>(parse.GetValue(statusOption)!, ignoreCase: true);
            var rows = await store.ListAsync(status, parse.GetValue(limit), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, Json));
                return ExitCodes.Ok;
            }

            foreach (var r in rows)
            {
                Console.WriteLine($"{r.Id}\t{r.Status}\t{r.Kind}\t{r.Method} {r.Url}\t{r.Source}\tattempts={r.Attempts}\tstatus={r.ServerStatus}\t{r.LastError ?? r.ServerLocation}");
            }

            Console.WriteLine($"{rows.Count} item(s)");
            return ExitCodes.Ok;
        }));

        // An option, not an argument: free --Adapter:Key=value tokens must never be taken for the id.
        var id = new Option<long?>("--id") { Description = "The dead item to retry (see outbox list)" };
        var all = new Option<bool>("--all") { Description = "Every dead item" };
        var retry = new Command("retry", "Put dead items back in the queue (after fixing the cause on the server side)") { config, id, all };
        retry.TreatUnmatchedTokensAsErrors = false;
        retry.SetAction(Guarded(async (parse, ct) =>
        {
            if (parse.GetValue(id) is null && !parse.GetValue(all))
            {
                await Console.Error.WriteLineAsync("outbox retry: give --id N or --all").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            await using var store = await OpenStoreAsync(parse, config, ct).ConfigureAwait(false);
            var n = await store.RetryDeadAsync(parse.GetValue(id), DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
            var what = parse.GetValue(id) is { } one ? $"outbox item {one}" : "every dead item";
            await store.AppendAuditAsync([AuditTrail.Event(AuditAction.Retry, n > 0, Environment.UserName, "outbox retry", DateTimeOffset.UtcNow, what, $"{n} item(s) pending again")], ct).ConfigureAwait(false);
            Console.WriteLine($"{n} item(s) pending again");
            return n > 0 || parse.GetValue(all) ? ExitCodes.Ok : ExitCodes.DataRefused;
        }));

        var what = new Option<string>("--status") { Description = "dead (default) or delivered", DefaultValueFactory = _ => "dead" };
        what.OneOf("dead", "delivered");
        var olderThan = new Option<double?>("--older-than-days") { Description = "Only items created more than this many days ago" };
        var purge = new Command("purge", "Delete dead (or delivered) items; pending work is never purged") { config, what, olderThan };
        purge.TreatUnmatchedTokensAsErrors = false;
        purge.SetAction(Guarded(async (parse, ct) =>
        {
            await using var store = await OpenStoreAsync(parse, config, ct).ConfigureAwait(false);
            var status = parse.GetValue(what) == "delivered" ? OutboxItemStatus.Delivered : OutboxItemStatus.Dead;
            var before = parse.GetValue(olderThan) is { } days ? DateTimeOffset.UtcNow.AddDays(-days) : (DateTimeOffset?)null;
            var n = await store.PurgeAsync(status, before, ct).ConfigureAwait(false);
            Console.WriteLine($"{n} {status.ToString().ToLowerInvariant()} item(s) purged");
            return ExitCodes.Ok;
        }));

        var after = new Option<long>("--after") { Description = "Only entries after this audit id", DefaultValueFactory = _ => 0 };
        var auditLimit = new Option<int>("--limit") { Description = "At most this many entries", DefaultValueFactory = _ => 1000 };
        var audit = new Command("audit", "The audit trail as NDJSON FHIR R4 AuditEvents: every intake, delivery, dead-letter and retry") { config, after, auditLimit };
        audit.TreatUnmatchedTokensAsErrors = false;
        audit.SetAction(Guarded(async (parse, ct) =>
        {
            await using var store = await OpenStoreAsync(parse, config, ct).ConfigureAwait(false);
            foreach (var entry in await store.ReadAuditAsync(parse.GetValue(after), parse.GetValue(auditLimit), ct).ConfigureAwait(false))
            {
                Console.WriteLine(entry.EventJson);
            }

            return ExitCodes.Ok;
        }));

        return new Command("outbox", "Inspect and act on the adapter's outbox (dead letters above all)") { list, retry, purge, audit };
    }

    /// <summary>Runs an outbox action; a missing or unreachable outbox is a message and exit code 2, not a stack trace.</summary>
    private static Func<ParseResult, CancellationToken, Task<int>> Guarded(Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parse, ct) =>
        {
            try
            {
                return await action(parse, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CommandException or System.Data.Common.DbException or IOException)
            {
                await Console.Error.WriteLineAsync($"{parse.CommandResult.Command.Name}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        };

    private sealed class CommandException(string message) : Exception(message);

    private static Option<string?> ConfigOption() =>
        new("--config") { Description = "A JSON settings file (same shape as appsettings.json); --Adapter:Key=value arguments override it" };

    private static string[] Args(ParseResult parse, Option<string?> config)
    {
        var args = new List<string>();
        if (parse.GetValue(config) is { } file)
        {
            args.Add("--config");
            args.Add(file);
        }

        args.AddRange(parse.UnmatchedTokens);
        return [.. args];
    }

    private static async Task<IOutboxStore> OpenStoreAsync(ParseResult parse, Option<string?> config, CancellationToken ct)
    {
        var options = AdapterHost.ReadOptions(Args(parse, config)).Outbox;
        if (options.Provider == OutboxProvider.Sqlite && !File.Exists(options.Path))
        {
            throw new CommandException($"No outbox at '{Path.GetFullPath(options.Path)}' (set Adapter:Outbox:Path or run where the service runs).");
        }

        var store = OutboxStoreFactory.Create(options);
        await store.InitializeAsync(ct).ConfigureAwait(false);
        return store;
    }
}
