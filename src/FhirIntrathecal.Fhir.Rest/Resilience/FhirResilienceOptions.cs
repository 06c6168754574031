using System.Collections.Immutable;

namespace FhirIntrathecal.Fhir.Rest.Resilience;

/// <summary>
/// Retry, timeout, circuit-breaker and concurrency settings of the FHIR handler chain. Defaults suit a
/// remote FHIR server under load; tests shrink the delays.
/// </summary>
public sealed record FhirResilienceOptions
{
    public static FhirResilienceOptions Default { get; } = new();

    /// <summary>No retries, breaker or limit, only the timeouts: for callers that do their own.</summary>
    public static FhirResilienceOptions None { get; } = new() { MaxRetryAttempts = 0, CircuitBreakerEnabled = false, MaxConcurrency = 0 };

    /// <summary>Retries after the first attempt (0 disables retrying).</summary>
    public int MaxRetryAttempts { get; init; } = 4;

    /// <summary>The first backoff; each retry doubles it, with jitter so many clients do not retry in step.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    public bool UseJitter { get; init; } = true;

    /// <summary>Retry-After is honoured up to this long; a longer wait fails the request instead of stalling it.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Statuses worth another attempt. Anything else is the caller's problem, not the network's.</summary>
    public ImmutableHashSet<int> RetryStatusCodes { get; init; } = [408, 429, 500, 502, 503, 504];

    /// <summary>One attempt, headers and (for buffered answers) body; a hung server fails the attempt, not the process.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole request including retries and their waits.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public bool CircuitBreakerEnabled { get; init; } = true;

    /// <summary>Share of failed attempts within <see cref="CircuitBreakerSamplingDuration"/> that opens the circuit.</summary>
    public double CircuitBreakerFailureRatio { get; init; } = 0.5;

    /// <summary>At least this many attempts in the sampling window before the ratio counts.</summary>
    public int CircuitBreakerMinimumThroughput { get; init; } = 20;

    public TimeSpan CircuitBreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan CircuitBreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Requests in flight at once through this chain (0 = unlimited). Protects small servers from a parallel push.</summary>
    public int MaxConcurrency { get; init; } = 8;
}
