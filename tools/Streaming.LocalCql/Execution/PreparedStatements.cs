using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Execution;

/// <summary>A prepared statement as a node keeps it: the parsed query, the keyspace it was prepared in, its metadata.</summary>
internal sealed record PreparedEntry(ParsedQuery Query, string? Keyspace, PreparedQuery Metadata);

/// <summary>
/// One node's prepared statements by id. Ids are MD5 of keyspace and query text, as Cassandra derives them, so
/// re-preparing gives the same id on every node; a node that never saw the PREPARE answers Unprepared.
/// </summary>
internal sealed class PreparedStatements
{
    private readonly ConcurrentDictionary<string, PreparedEntry> entries = new(StringComparer.Ordinal);

    public static byte[] IdOf(string query, string? keyspace) =>
        MD5.HashData(Encoding.UTF8.GetBytes((keyspace ?? "") + query));

    public void Add(PreparedEntry entry) => entries[Convert.ToHexString(entry.Metadata.Id)] = entry;

    public PreparedEntry Get(byte[] id) =>
        entries.GetValueOrDefault(Convert.ToHexString(id))
        ?? throw new CqlEngineException(CqlErrorCode.Unprepared,
            $"Prepared query with ID {Convert.ToHexString(id).ToLowerInvariant()} not found (either the query was not prepared on this host "
            + "(maybe the host has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)",
            new UnpreparedDetails(id));
}
