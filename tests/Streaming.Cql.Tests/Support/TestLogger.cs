using Microsoft.Extensions.Logging;

namespace Streaming.Cql.Tests.Support;

/// <summary>Writes the library's logs into the running test's output, shown when the test fails.</summary>
internal sealed class TestLoggerFactory : ILoggerFactory, ILogger
{
    public static TestLoggerFactory Instance { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}");

    public void Dispose()
    {
    }
}
