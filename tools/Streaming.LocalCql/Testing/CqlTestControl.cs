using Streaming.Cql;

namespace Streaming.LocalCql.Testing;

/// <summary>
/// Test-only control of one engine node: counts the requests it receives per kind, records their consistency, and
/// makes the next matching ones fail with a chosen error or wait first, the way an overloaded or partitioned Cassandra
/// node answers. A rule without a
/// table matches statements on user tables only, so drivers' own reads of system tables are not disturbed; a rule with a
/// table ("ks.table" or "table") matches only statements on it. Delays use the engine's <see cref="TimeProvider"/> and
/// block the calling thread; <see cref="Reset"/> releases them.
/// </summary>
public sealed class CqlTestControl
{
    private readonly Lock gate = new();
    private readonly List<Rule> rules = [];
    private readonly Dictionary<CqlStatementKind, long> received = [];
    private readonly Dictionary<CqlStatementKind, CqlConsistency> consistencies = [];
    private readonly TimeProvider time;
    private CancellationTokenSource released = new();

    internal CqlTestControl(TimeProvider time)
    {
        this.time = time;
    }

    /// <summary>The next <paramref name="count"/> matching requests fail with <paramref name="error"/> instead of executing.</summary>
    public void FailNext(CqlStatementKind kind, int count, CqlEngineException error, string? table = null) =>
        Add(new Rule(kind, table, count, error, TimeSpan.Zero));

    /// <summary>The next <paramref name="count"/> matching requests wait <paramref name="delay"/> before executing.</summary>
    public void DelayNext(CqlStatementKind kind, int count, TimeSpan delay, string? table = null) =>
        Add(new Rule(kind, table, count, null, delay));

    /// <summary>How many requests of <paramref name="kind"/> this node received, including those failed by a rule or an error.</summary>
    public long Received(CqlStatementKind kind)
    {
        lock (gate)
        {
            return received.GetValueOrDefault(kind);
        }
    }

    /// <summary>The consistency of the last request of <paramref name="kind"/>, or null before any (PREPARE has none).</summary>
    public CqlConsistency? LastConsistency(CqlStatementKind kind)
    {
        lock (gate)
        {
            return consistencies.TryGetValue(kind, out var consistency) ? consistency : null;
        }
    }

    /// <summary>Drops all rules and counts and releases requests waiting on a delay.</summary>
    public void Reset()
    {
        CancellationTokenSource old;
        lock (gate)
        {
            rules.Clear();
            received.Clear();
            consistencies.Clear();
            old = released;
            released = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>
    /// Counts a request, then applies the first matching delay and failure rules. The delay's timer starts under the
    /// same lock as the count, so once <see cref="Received"/> shows the request, advancing a fake clock releases it.
    /// </summary>
    internal void Intercept(CqlStatementKind kind, string? keyspace, string? table, bool onSystemTable, CqlConsistency? consistency)
    {
        Rule? failure;
        TaskCompletionSource? elapsed = null;
        ITimer? timer = null;
        CancellationToken release;
        lock (gate)
        {
            received[kind] = received.GetValueOrDefault(kind) + 1;
            if (consistency is { } level)
            {
                consistencies[kind] = level;
            }

            var delay = Take(r => r.Error is null, kind, keyspace, table, onSystemTable);
            failure = Take(r => r.Error is not null, kind, keyspace, table, onSystemTable);
            release = released.Token;
            if (delay is not null)
            {
                var done = elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                timer = time.CreateTimer(_ => done.TrySetResult(), null, delay.Delay, Timeout.InfiniteTimeSpan);
            }
        }

        if (elapsed is not null)
        {
            using (timer)
            {
                Wait(elapsed.Task, release);
            }
        }

        if (failure is not null)
        {
            // A fresh exception per failure: the rule's instance may be thrown on several threads at once.
            throw new CqlEngineException(failure.Error!.Code, failure.Error.Message, failure.Error.Details);
        }
    }

    private void Add(Rule rule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rule.Remaining);
        lock (gate)
        {
            rules.Add(rule);
        }
    }

    private Rule? Take(Func<Rule, bool> wanted, CqlStatementKind kind, string? keyspace, string? table, bool onSystemTable)
    {
        var rule = rules.FirstOrDefault(r => wanted(r) && r.Kind == kind && (r.Table is null
            ? !onSystemTable
            : r.Table == table || r.Table == keyspace + "." + table));
        if (rule is not null && --rule.Remaining == 0)
        {
            rules.Remove(rule);
        }

        return rule;
    }

    private static void Wait(Task elapsed, CancellationToken release)
    {
        try
        {
            elapsed.Wait(release);
        }
        catch (OperationCanceledException)
        {
            // Reset released the request early; it executes normally.
        }
    }

    private sealed class Rule(CqlStatementKind kind, string? table, int count, CqlEngineException? error, TimeSpan delay)
    {
        public CqlStatementKind Kind => kind;

        public string? Table => table;

        public CqlEngineException? Error => error;

        public TimeSpan Delay => delay;

        public int Remaining { get; set; } = count;
    }
}
