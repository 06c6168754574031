using Microsoft.Extensions.Logging;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>Log lines to stderr, so stdout stays clean for tables and pipes. The CLI needs nothing fancier.</summary>
internal sealed class StderrLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(minimum, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogLevel minimum, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.Error.WriteLine($"{logLevel.ToString().ToLowerInvariant()[..4]} {category}: {formatter(state, exception)}");
            }
        }
    }
}
