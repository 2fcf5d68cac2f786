using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Streaming.DeliveryLog;

/// <summary>The SQLite log's table and the statements on it; an older file gets the columns it lacks on open.</summary>
internal static class SqliteSchema
{
    public const string Columns = "event_id, channel, target, outcome, attempt, user_id, category, provider, provider_message_id, reason, error, requested_at, occurred_at, source_service, forced, details";

    public static readonly string[] Parameters = ["$e", "$c", "$t", "$o", "$a", "$u", "$cat", "$p", "$pm", "$r", "$err", "$req", "$occ", "$src", "$f", "$d"];

    /// <summary>
    /// Inserts a row unless the same outcome (event, channel, target, outcome, attempt, instant) is there already: the
    /// writer of an outcome and a reader of the status topic may both record it.
    /// </summary>
    public static readonly string Insert = $"""
        INSERT INTO delivery_log ({Columns}) SELECT {string.Join(", ", Parameters)}
        WHERE NOT EXISTS (SELECT 1 FROM delivery_log WHERE event_id = $e AND channel = $c AND target = $t AND outcome = $o AND attempt = $a AND occurred_at = $occ)
        """;

    public const string WasDelivered = "SELECT 1 FROM delivery_log WHERE event_id = $e AND channel = $c AND target = $t AND outcome = 'delivered' LIMIT 1";

    private static readonly (string Name, string Definition)[] AddedColumns = [("source_service", "TEXT"), ("forced", "INTEGER NOT NULL DEFAULT 0"), ("details", "TEXT")];

    public static void Create(SqliteConnection c, string synchronous)
    {
        Execute(c, $"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous={(synchronous.Equals("FULL", StringComparison.OrdinalIgnoreCase) ? "FULL" : "NORMAL")};
            PRAGMA busy_timeout=10000;
            CREATE TABLE IF NOT EXISTS delivery_log (
                id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                user_id TEXT NOT NULL,
                category TEXT,
                provider TEXT,
                provider_message_id TEXT,
                reason TEXT,
                error TEXT,
                requested_at INTEGER NOT NULL,
                occurred_at INTEGER NOT NULL,
                source_service TEXT,
                forced INTEGER NOT NULL DEFAULT 0,
                details TEXT);
            CREATE INDEX IF NOT EXISTS ix_delivery_log_key ON delivery_log (event_id, channel, target, outcome);
            """);
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var info = c.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('delivery_log')";
            using var r = info.ExecuteReader();
            while (r.Read())
            {
                existing.Add(r.GetString(0));
            }
        }

        foreach (var (name, definition) in AddedColumns.Where(col => !existing.Contains(col.Name)))
        {
            Execute(c, $"ALTER TABLE delivery_log ADD COLUMN {name} {definition}");
        }
    }

    public static object?[] Values(DeliveryLogEntry e) =>
    [
        e.EventId, e.Channel, e.Target, e.Outcome, e.Attempt, e.UserId, e.Category, e.Provider, e.ProviderMessageId, e.Reason,
        e.Error, e.RequestedAt.ToUnixTimeMilliseconds(), e.OccurredAt.ToUnixTimeMilliseconds(), e.SourceService, e.Forced ? 1 : 0,
        e.Details is null ? null : JsonSerializer.Serialize(e.Details),
    ];

    public static DeliveryLogEntry Read(SqliteDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new DeliveryLogEntry(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5), Text(6), Text(7), Text(8),
            Text(9), Text(10), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
            Text(13), r.GetInt64(14) != 0, Text(15) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null);
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
