using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streaming.LocalStack.Tests;

/// <summary>Keeps every log line (to assert on the registry's request log) and echoes it to the test output.</summary>
public sealed class RecordingLoggerProvider(ITestOutputHelper? output) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ITestOutputHelper? output = output;

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            owner.lines.Enqueue(line);
            try
            {
                owner.output?.WriteLine($"{logLevel} {category}: {line}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // Output after the test finished (e.g. during disposal) has nowhere to go.
            }
        }
    }
}
