namespace FhirIntrathecal.Service.Dispatch;

/// <summary>What the dispatcher of this process knows about itself, for health answers.</summary>
public sealed class DispatcherStatus(string instanceId, CircuitBreaker circuit)
{
    private long _lastSuccessTicks;
    private long _delivered;
    private long _dead;
    private long _retried;

    public string InstanceId { get; } = instanceId;

    public CircuitState Circuit => circuit.State;

    public DateTimeOffset? LastSuccessAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSuccessTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Dead => Interlocked.Read(ref _dead);

    public long Retried => Interlocked.Read(ref _retried);

    internal void Count(int delivered, int dead, int retried, DateTimeOffset now)
    {
        Interlocked.Add(ref _delivered, delivered);
        Interlocked.Add(ref _dead, dead);
        Interlocked.Add(ref _retried, retried);
        if (delivered > 0)
        {
            Interlocked.Exchange(ref _lastSuccessTicks, now.UtcTicks);
        }
    }
}
