namespace Streaming.Cql.Protocol;

/// <summary>QUERY (4.1.4): a [long string] query then its parameters.</summary>
public sealed record QueryRequest(string Query, QueryParameters Parameters) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Query;

    public override void Encode(CqlWriter writer)
    {
        writer.WriteLongString(Query);
        Parameters.Encode(writer);
    }

    public static QueryRequest Decode(CqlReader reader)
    {
        var query = reader.ReadLongString();
        return new QueryRequest(query, QueryParameters.Decode(reader));
    }
}

/// <summary>EXECUTE (4.1.6): the prepared id as [short bytes] then the query parameters.</summary>
public sealed record ExecuteRequest(ReadOnlyMemory<byte> Id, QueryParameters Parameters) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Execute;

    public override void Encode(CqlWriter writer)
    {
        writer.WriteShortBytes(Id.Span);
        Parameters.Encode(writer);
    }

    public static ExecuteRequest Decode(CqlReader reader)
    {
        var id = reader.ReadShortBytes();
        return new ExecuteRequest(id, QueryParameters.Decode(reader));
    }
}

/// <summary>
/// One &lt;query_i&gt; of a BATCH: kind 0 with a [long string] query, or kind 1 with a [short bytes] prepared id,
/// then a [short] count of [value]s.
/// </summary>
public sealed record BatchQuery(string? Query, ReadOnlyMemory<byte>? PreparedId, IReadOnlyList<CqlValue> Values)
{
    public static BatchQuery Simple(string query, IReadOnlyList<CqlValue> values) => new(query, null, values);

    public static BatchQuery Prepared(ReadOnlyMemory<byte> id, IReadOnlyList<CqlValue> values) => new(null, id, values);
}

/// <summary>
/// BATCH (4.1.7): type, queries, consistency, flags, then serial consistency and default timestamp when flagged.
/// Names for values (flag 0x40) are refused: the spec marks them unimplementable (CASSANDRA-10246).
/// </summary>
public sealed record BatchRequest(BatchType Type, IReadOnlyList<BatchQuery> Queries, CqlConsistency Consistency) : CqlMessage
{
    public CqlConsistency? SerialConsistency { get; init; }

    /// <summary>Default write timestamp in microseconds since the epoch.</summary>
    public long? DefaultTimestamp { get; init; }

    public override CqlOpcode Opcode => CqlOpcode.Batch;

    public override void Encode(CqlWriter writer)
    {
        writer.WriteByte((byte)Type);
        writer.WriteShort(checked((ushort)Queries.Count));
        foreach (var query in Queries)
        {
            if (query.PreparedId is { } id)
            {
                writer.WriteByte(1);
                writer.WriteShortBytes(id.Span);
            }
            else
            {
                writer.WriteByte(0);
                writer.WriteLongString(query.Query ?? throw new ArgumentException("A batch query needs a query string or a prepared id."));
            }

            writer.WriteShort(checked((ushort)query.Values.Count));
            foreach (var value in query.Values)
            {
                writer.WriteValue(value);
            }
        }

        writer.WriteConsistency(Consistency);
        var flags = (SerialConsistency is not null ? QueryFlags.WithSerialConsistency : 0)
            | (DefaultTimestamp is not null ? QueryFlags.WithDefaultTimestamp : 0);
        writer.WriteByte((byte)flags);
        if (SerialConsistency is { } serial)
        {
            writer.WriteConsistency(serial);
        }

        if (DefaultTimestamp is { } timestamp)
        {
            writer.WriteLong(timestamp);
        }
    }

    public static BatchRequest Decode(CqlReader reader)
    {
        var type = (BatchType)reader.ReadByte();
        if (!Enum.IsDefined(type))
        {
            throw new CqlProtocolException($"Unknown batch type {(byte)type}.");
        }

        var queries = new BatchQuery[reader.ReadShort()];
        for (var i = 0; i < queries.Length; i++)
        {
            queries[i] = ReadQuery(reader);
        }

        var consistency = reader.ReadConsistency();
        var flags = (QueryFlags)reader.ReadByte();
        if (flags.HasFlag(QueryFlags.WithNamesForValues))
        {
            throw new CqlProtocolException("Names for values in a BATCH are not supported (the spec marks the feature as unimplementable).");
        }

        return new BatchRequest(type, queries, consistency)
        {
            SerialConsistency = flags.HasFlag(QueryFlags.WithSerialConsistency) ? reader.ReadConsistency() : null,
            DefaultTimestamp = flags.HasFlag(QueryFlags.WithDefaultTimestamp) ? reader.ReadLong() : null,
        };
    }

    private static BatchQuery ReadQuery(CqlReader reader)
    {
        var kind = reader.ReadByte();
        string? query = null;
        ReadOnlyMemory<byte>? id = null;
        switch (kind)
        {
            case 0:
                query = reader.ReadLongString();
                break;
            case 1:
                id = reader.ReadShortBytes();
                break;
            default:
                throw new CqlProtocolException($"A batch query kind is 0 (string) or 1 (prepared id); got {kind}.");
        }

        var values = new CqlValue[reader.ReadShort()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadValue();
        }

        return new BatchQuery(query, id, values);
    }
}
