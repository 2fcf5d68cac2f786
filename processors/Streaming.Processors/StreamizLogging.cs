using Microsoft.Extensions.Logging;

namespace Streaming.Processors;

/// <summary>
/// The logger factory handed to Streamiz. Its processors (source, sink, record collector) log every record's key at
/// Debug and Trace, and our keys are user IDs and device tokens ({userId}/{token}); a host turned to Debug for
/// troubleshooting must not write those. So the Streamiz.Kafka.Net.Processors categories log from Information up; every
/// other category passes through unchanged. The caller owns the inner factory.
/// </summary>
internal sealed class StreamizLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string RecordLevelCategories = "Streamiz.Kafka.Net.Processors";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(RecordLevelCategories, StringComparison.Ordinal) ? new InformationAndAbove(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // not ours to dispose
    }

    private sealed class InformationAndAbove(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
