using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Streaming.Cql.Tests.Support;

/// <summary>
/// Writes the library's logs into the running test's output (shown when the test fails); an instance of its own also
/// keeps them for a test to assert on.
/// </summary>
internal sealed class TestLoggerFactory : ILoggerFactory, ILogger
{
    public static TestLoggerFactory Instance { get; } = new();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}";
        if (this != Instance)
        {
            Lines.Enqueue(line);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    public void Dispose()
    {
    }
}
