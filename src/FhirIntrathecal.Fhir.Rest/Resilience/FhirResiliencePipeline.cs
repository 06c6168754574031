using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FhirIntrathecal.Fhir.Rest.Resilience;

/// <summary>
/// The Polly pipeline and concurrency gate shared by every handler instance of one client registration, so the
/// circuit breaker's state and the concurrency limit survive IHttpClientFactory's handler rotation.
/// Order, outside in: total timeout, retry, circuit breaker, attempt timeout.
/// </summary>
public sealed partial class FhirResiliencePipeline : IDisposable
{
    internal static readonly ResiliencePropertyKey<bool> SafeToRetryKey = new("FhirIntrathecal.SafeToRetry");

    private readonly SemaphoreSlim? _gate;
    private readonly ILogger _logger;

    public FhirResiliencePipeline(FhirResilienceOptions options, ILogger<FhirResiliencePipeline>? logger = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger<FhirResiliencePipeline>.Instance;
        _gate = options.MaxConcurrency > 0 ? new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency) : null;
        Pipeline = Build(options, timeProvider ?? TimeProvider.System);
    }

    public FhirResilienceOptions Options { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Waits for a concurrency slot; dispose the result to release it.</summary>
    internal async ValueTask<IDisposable?> EnterAsync(CancellationToken ct)
    {
        if (_gate is null)
        {
            return null;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        return new Release(_gate);
    }

    public void Dispose() => _gate?.Dispose();

    private ResiliencePipeline<HttpResponseMessage> Build(FhirResilienceOptions o, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (o.TotalTimeout > TimeSpan.Zero)
        {
            builder.AddTimeout(o.TotalTimeout);
        }

        if (o.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = o.UseJitter,
                Delay = o.BaseDelay,
                MaxDelay = o.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.GetValue(SafeToRetryKey, false) && IsTransient(args.Outcome, o)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, o, time)),
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?");
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (o.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.CircuitBreakerFailureRatio,
                MinimumThroughput = o.CircuitBreakerMinimumThroughput,
                SamplingDuration = o.CircuitBreakerSamplingDuration,
                BreakDuration = o.CircuitBreakerBreakDuration,
                // 429 is the server pacing us, not failing; it must not open the circuit.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result is { StatusCode: var s } ? (int)s >= 500 : IsFault(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    LogBreakerOpened(_logger, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (o.AttemptTimeout > TimeSpan.Zero)
        {
            builder.AddTimeout(o.AttemptTimeout);
        }

        return builder.Build();
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome, FhirResilienceOptions options) =>
        outcome.Result is { } response
            ? options.RetryStatusCodes.Contains((int)response.StatusCode)
            : IsFault(outcome.Exception);

    /// <summary>Network faults and attempt timeouts; not the caller's own cancellation, not a broken circuit.</summary>
    private static bool IsFault(Exception? ex) => ex is HttpRequestException or TimeoutRejectedException or IOException;

    /// <summary>The server's Retry-After (seconds or HTTP date) when present and not absurd; null means exponential backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, FhirResilienceOptions options, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        if (wait is not { } w)
        {
            return null;
        }

        if (w > options.MaxRetryAfter)
        {
            // Waiting longer than allowed: fail this request now rather than hold a slot for minutes.
            throw new FhirOperationException(
                $"The server asked to retry after {w.TotalSeconds:0} s, more than the {options.MaxRetryAfter.TotalSeconds:0} s allowed.",
                response!.StatusCode, null, response.RequestMessage?.Method, response.RequestMessage?.RequestUri);
        }

        return w < TimeSpan.Zero ? TimeSpan.Zero : w;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry {Attempt} in {DelayMs:0} ms after {Cause}")]
    private static partial void LogRetry(ILogger logger, int attempt, double delayMs, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit opened for {Seconds:0.#} s: the server keeps failing")]
    private static partial void LogBreakerOpened(ILogger logger, double seconds);

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
