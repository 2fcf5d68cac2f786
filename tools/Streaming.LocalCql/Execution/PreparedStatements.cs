using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// A prepared statement as a node keeps it: the parsed query, the keyspace it was prepared in, its metadata, and the ids
/// of the tables it was resolved against ("ks.table" → id).
/// </summary>
internal sealed record PreparedEntry(ParsedQuery Query, string? Keyspace, PreparedResult Metadata, IReadOnlyDictionary<string, Guid> Tables);

/// <summary>
/// One node's prepared statements by id. Ids are MD5 of keyspace and query text, as Cassandra derives them, so
/// re-preparing gives the same id on every node; a node that never saw the PREPARE answers Unprepared. Like Cassandra,
/// a node forgets statements on tables that were dropped (or dropped and created again), so clients re-prepare and get
/// metadata for the table as it is now.
/// </summary>
internal sealed class PreparedStatements
{
    private readonly ConcurrentDictionary<string, PreparedEntry> entries = new(StringComparer.Ordinal);

    public static byte[] IdOf(string query, string? keyspace) =>
        MD5.HashData(Encoding.UTF8.GetBytes((keyspace ?? "") + query));

    public void Add(PreparedEntry entry) => entries[Convert.ToHexString(entry.Metadata.Id.Span)] = entry;

    /// <summary>Forgets every statement, as a node that restarts without its prepared statement cache.</summary>
    public void Clear() => entries.Clear();

    public PreparedEntry Get(ReadOnlyMemory<byte> id, Catalog catalog)
    {
        var key = Convert.ToHexString(id.Span);
        if (entries.TryGetValue(key, out var entry) && entry.Tables.All(t => Current(catalog, t.Key) == t.Value))
        {
            return entry;
        }

        entries.TryRemove(key, out _);
        throw Unprepared(id);
    }

    /// <summary>"ks.table" → id of the tables a statement names, resolved in <paramref name="session"/>.</summary>
    public static Dictionary<string, Guid> TablesOf(CqlStatement statement, Catalog catalog, EngineSession session) =>
        StatementTargets.Tables(statement).Select(name => catalog.Table(name, session))
            .DistinctBy(t => t.Id).ToDictionary(t => t.Keyspace + "." + t.Name, t => t.Id, StringComparer.Ordinal);

    private static Guid? Current(Catalog catalog, string qualifiedTable)
    {
        var dot = qualifiedTable.IndexOf('.', StringComparison.Ordinal);
        return catalog.FindKeyspace(qualifiedTable[..dot])?.Tables.GetValueOrDefault(qualifiedTable[(dot + 1)..])?.Id;
    }

    private static CqlEngineException Unprepared(ReadOnlyMemory<byte> id) =>
        new(CqlErrorCode.Unprepared,
            $"Prepared query with ID {Convert.ToHexString(id.Span).ToLowerInvariant()} not found (either the query was not prepared on this host "
            + "(maybe the host has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)",
            new UnpreparedDetails(id));
}
