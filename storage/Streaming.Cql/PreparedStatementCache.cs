using System.Collections.Concurrent;
using Streaming.Cql.Statements;

namespace Streaming.Cql;

/// <summary>
/// Prepared statements per (keyspace, query): concurrent callers share one PREPARE, later callers pay no round
/// trip. A failed PREPARE is forgotten so the next caller tries again.
/// </summary>
internal sealed class PreparedStatementCache
{
    private readonly ConcurrentDictionary<(string? Keyspace, string Query), Lazy<Task<PreparedStatement>>> _entries = new();

    public async Task<PreparedStatement> GetOrPrepareAsync(string? keyspace, string query, Func<Task<PreparedStatement>> prepare)
    {
        var key = (keyspace, query);
        var entry = _entries.GetOrAdd(key, _ => new Lazy<Task<PreparedStatement>>(prepare));
        try
        {
            return await entry.Value.ConfigureAwait(false);
        }
        catch
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }
}
