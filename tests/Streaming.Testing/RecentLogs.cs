using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Streaming.Testing;

/// <summary>
/// A logger factory that keeps the last <see cref="Capacity"/> lines (Information and above) in memory, so a test that
/// times out can say what the components were doing instead of only that they did not finish.
/// </summary>
/// <remarks>Never disposed on purpose: Streamiz keeps the first logger factory it is given for the whole process.</remarks>
public sealed class RecentLogs : ILoggerFactory
{
    private readonly Queue<string> lines = new();
    private long connectionNoise;

    public RecentLogs(int capacity = 300) => Capacity = capacity;

    public int Capacity { get; }

    /// <summary>The kept lines, oldest first, each with its time, level and category.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines, one per row, for an exception message.</summary>
    public string Tail(int count = 60)
        => string.Join(Environment.NewLine, Lines.TakeLast(count))
           + $"{Environment.NewLine}({Interlocked.Read(ref connectionNoise)} librdkafka connect-failure lines left out)";

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("RecentLogs only records.");

    public void Dispose()
    {
        // See remarks: the lines stay readable for the whole process.
    }

    private void Add(string line)
    {
        // Clients of clusters that already stopped (Streamiz leaks an admin client per disposed instance) repeat these
        // every few hundred ms; kept, they push out every line that explains a failure.
        if (line.Contains("Connection refused", StringComparison.Ordinal) || line.Contains("brokers are down", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref connectionNoise);
            return;
        }

        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > Capacity)
            {
                lines.Dequeue();
            }
        }
    }

    private sealed class Recorder(RecentLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var time = DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var error = exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})";
            owner.Add($"{time} {logLevel} {category}: {formatter(state, exception)}{error}");
        }
    }
}
