using Streaming.Cql;
using Streaming.Cql.Results;
using Streaming.Cql.Statements;
using Streaming.Cql.Types;

namespace Streaming.DeliveryLog;

/// <summary>The prepared statements of the Cassandra log on one session, and the mapping between rows and entries.</summary>
internal sealed class CassandraStatements(CqlSession session, PreparedStatement insert, PreparedStatement outcomesOfTarget, PreparedStatement eventRows, CassandraDeliveryLogOptions options)
{
    private const string Columns = "event_id, channel, target, occurred_at, outcome, attempt, user_id, source_service, category, provider, "
        + "provider_message_id, reason, error, requested_at, latency_ms, forced, write_id, details";

    public CqlSession Session => session;

    public static async Task<CassandraStatements> PrepareAsync(CqlSession session, CassandraDeliveryLogOptions options, CancellationToken ct)
    {
        var insert = await session.PrepareAsync($"INSERT INTO delivery_log ({Columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?", ct).ConfigureAwait(false);
        // The pre-send check: one partition, a slice on its first clustering columns; never ALLOW FILTERING.
        var outcomes = await session.PrepareAsync("SELECT outcome FROM delivery_log WHERE event_id = ? AND channel = ? AND target = ?", ct).ConfigureAwait(false);
        var rows = await session.PrepareAsync($"SELECT {Columns} FROM delivery_log WHERE event_id = ?", ct).ConfigureAwait(false);
        return new CassandraStatements(session, insert, outcomes, rows, options);
    }

    public BoundStatement Insert(DeliveryLogEntry e) => insert.Bind(
        e.EventId, e.Channel, e.Target, e.OccurredAt, e.Outcome, e.Attempt, e.UserId, e.SourceService, e.Category, e.Provider,
        e.ProviderMessageId, e.Reason, e.Error, e.RequestedAt, (long)(e.OccurredAt - e.RequestedAt).TotalMilliseconds, e.Forced,
        TimeUuid.Create(DateTimeOffset.UtcNow), e.Details is null ? null : new Dictionary<string, string>(e.Details), (int)options.Ttl.TotalSeconds);

    public BoundStatement OutcomesOfTarget(string eventId, string channel, string target) => outcomesOfTarget.Bind(eventId, channel, target);

    public BoundStatement RowsOf(string eventId) => eventRows.Bind(eventId);

    public static SimpleStatement AllRows() => new($"SELECT {Columns} FROM delivery_log");

    public static DeliveryLogEntry Entry(Row r) => new(
        r.GetString("event_id")!, r.GetString("channel")!, r.GetString("target")!, r.GetString("outcome")!, r.GetInt32("attempt"),
        r.GetString("user_id") ?? "", r.GetString("category"), r.GetString("provider"), r.GetString("provider_message_id"),
        r.GetString("reason"), r.GetString("error"), r.IsNull("requested_at") ? default : r.GetDateTimeOffset("requested_at"),
        r.GetDateTimeOffset("occurred_at"), r.GetString("source_service"), !r.IsNull("forced") && r.GetBoolean("forced"),
        r.IsNull("details") ? null : r.GetDictionary<string, string>("details"));
}
