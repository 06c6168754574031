namespace FhirIntrathecal.Service.Dispatch;

public enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// Stops all pushes after a run of transient failures (server down: no point leasing and failing thousands of
/// items), then lets one probe through after the break. A rejection (4xx) is an answer, so it counts as success.
/// </summary>
public sealed class CircuitBreaker(int failureThreshold, TimeSpan breakDuration, TimeProvider time)
{
    // A failed probe doubles the break, up to four times the configured one, so recovery is noticed soon enough.
    private readonly TimeSpan _baseBreak = breakDuration;
    private readonly TimeSpan _maxBreak = breakDuration * 4;
    private readonly Lock _gate = new();
    private CircuitState _state = CircuitState.Closed;
    private int _failures;
    private TimeSpan _break = breakDuration;

    private DateTimeOffset _openUntil;
    private bool _probeOut;

    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>True when a push may go out now; otherwise how long to wait before asking again.</summary>
    public bool TryEnter(out TimeSpan wait)
    {
        lock (_gate)
        {
            wait = TimeSpan.Zero;
            var now = time.GetUtcNow();
            if (_state == CircuitState.Open && now >= _openUntil)
            {
                _state = CircuitState.HalfOpen;
                _probeOut = false;
            }

            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.HalfOpen when !_probeOut:
                    _probeOut = true;
                    return true;
                case CircuitState.HalfOpen:
                    wait = TimeSpan.FromMilliseconds(200);
                    return false;
                default:
                    wait = _openUntil - now;
                    return false;
            }
        }
    }

    public void OnSuccess()
    {
        lock (_gate)
        {
            _state = CircuitState.Closed;
            _failures = 0;
            _break = _baseBreak;
            _probeOut = false;
        }
    }

    /// <summary>Returns true when this failure opened the circuit.</summary>
    public bool OnTransientFailure()
    {
        lock (_gate)
        {
            _failures++;
            if (_state == CircuitState.HalfOpen)
            {
                // The probe failed: stay away longer, up to a bound.
                _break = TimeSpan.FromTicks(Math.Min(_break.Ticks * 2, _maxBreak.Ticks));
                Open();
                return true;
            }

            if (_state == CircuitState.Closed && _failures >= failureThreshold)
            {
                Open();
                return true;
            }

            return false;
        }
    }

    private void Open()
    {
        _state = CircuitState.Open;
        _openUntil = time.GetUtcNow() + _break;
        _probeOut = false;
    }
}
