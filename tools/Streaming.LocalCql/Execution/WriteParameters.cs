using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Execution;

/// <summary>The TTL (seconds, 0: none) and write timestamp (microseconds) of a write.</summary>
internal sealed record WriteParameters(int Ttl, long Timestamp)
{
    /// <summary>
    /// USING TTL, else the table's default_time_to_live; USING TIMESTAMP, else the batch's, else the client's default
    /// timestamp (frame flag 0x20), else the server clock.
    /// </summary>
    public static WriteParameters Resolve(UsingClause usingClause, TableDefinition table, ExecutionContext context, long? batchTimestamp = null)
    {
        var ttl = TermBinder.OptionalInt(usingClause.Ttl, Receivers.Ttl(table), context) ?? table.DefaultTimeToLive;
        if (ttl < 0)
        {
            throw CqlEngineException.Invalid($"A TTL must be greater or equal to 0, but was {ttl}");
        }

        if (ttl > TableDefinitionBuilder.MaxTimeToLive)
        {
            throw CqlEngineException.Invalid($"ttl is too large. requested ({ttl}) maximum ({TableDefinitionBuilder.MaxTimeToLive})");
        }

        var timestamp = TermBinder.OptionalLong(usingClause.Timestamp, Receivers.Timestamp(table), context)
            ?? batchTimestamp ?? context.Options.DefaultTimestamp ?? context.NowMicros;
        return new WriteParameters(ttl, timestamp);
    }
}
