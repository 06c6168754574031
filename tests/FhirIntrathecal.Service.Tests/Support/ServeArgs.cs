namespace FhirIntrathecal.Service.Tests.Support;

public static class ServeArgs
{
    /// <summary>Arguments for a test instance: short polls and backoff so the tests are quick; everything else as shipped.</summary>
    public static List<string> For(Uri fhir, string work, params string[] extra) =>
    [
        $"--Adapter:Fhir:BaseUrl={fhir}",
        $"--Adapter:Inbox:Path={Path.Combine(work, "inbox")}",
        $"--Adapter:Outbox:Path={Path.Combine(work, "outbox.db")}",
        "--Adapter:Inbox:SettleTime=00:00:00.2",
        "--Adapter:Inbox:PollInterval=00:00:00.5",
        "--Adapter:Dispatcher:IdlePollInterval=00:00:00.2",
        "--Adapter:Dispatcher:RetryBaseDelay=00:00:00.5",
        "--Adapter:Dispatcher:RetryMaxDelay=00:00:03",
        "--Adapter:Dispatcher:CircuitBreakDuration=00:00:02",
        "--Adapter:Fhir:RequestTimeout=00:00:20",
        "--Logging:LogLevel:Default=Warning",
        // "Application started" tells a test the host (and its SIGTERM handling) is up.
        "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        .. extra,
    ];
}
