namespace Streaming.Cql.Protocol;

/// <summary>The &lt;flags&gt; byte of query parameters (section 4.1.4).</summary>
[Flags]
public enum QueryFlags : byte
{
    None = 0x00,
    Values = 0x01,
    SkipMetadata = 0x02,
    PageSize = 0x04,
    WithPagingState = 0x08,
    WithSerialConsistency = 0x10,
    WithDefaultTimestamp = 0x20,
    WithNamesForValues = 0x40,
}

/// <summary>
/// &lt;query_parameters&gt; of QUERY and EXECUTE (section 4.1.4): consistency, flags, then whichever of values
/// (optionally named), page size, paging state, serial consistency and default timestamp the flags announce.
/// </summary>
public sealed record QueryParameters
{
    public CqlConsistency Consistency { get; init; } = CqlConsistency.LocalQuorum;

    /// <summary>Bound values in marker order; the Values flag is sent when there is at least one.</summary>
    public IReadOnlyList<CqlValue> Values { get; init; } = [];

    /// <summary>Marker names parallel to <see cref="Values"/> (flag 0x40); null sends values by position.</summary>
    public IReadOnlyList<string>? ValueNames { get; init; }

    /// <summary>Ask for rows without column metadata (flag 0x02).</summary>
    public bool SkipMetadata { get; init; }

    /// <summary>Rows per page (flag 0x04); null leaves paging off.</summary>
    public int? PageSize { get; init; }

    /// <summary>Where to resume, from a previous page's result (flag 0x08). Empty counts as none, as in <see cref="RowsMetadata.PagingState"/>.</summary>
    public ReadOnlyMemory<byte>? PagingState
    {
        get;
        init => field = value is { IsEmpty: false } ? value : null;
    }

    /// <summary>SERIAL or LOCAL_SERIAL for the Paxos phase of conditional updates (flag 0x10).</summary>
    public CqlConsistency? SerialConsistency { get; init; }

    /// <summary>Default write timestamp in microseconds since the epoch (flag 0x20).</summary>
    public long? DefaultTimestamp { get; init; }

    public QueryFlags Flags =>
        (Values.Count > 0 ? QueryFlags.Values : 0)
        | (SkipMetadata ? QueryFlags.SkipMetadata : 0)
        | (PageSize is not null ? QueryFlags.PageSize : 0)
        | (PagingState is not null ? QueryFlags.WithPagingState : 0)
        | (SerialConsistency is not null ? QueryFlags.WithSerialConsistency : 0)
        | (DefaultTimestamp is not null ? QueryFlags.WithDefaultTimestamp : 0)
        | (ValueNames is not null && Values.Count > 0 ? QueryFlags.WithNamesForValues : 0);

    public void Encode(CqlWriter writer)
    {
        if (ValueNames is not null && ValueNames.Count != Values.Count)
        {
            throw new ArgumentException($"{ValueNames.Count} value name(s) for {Values.Count} value(s).");
        }

        var flags = Flags;
        writer.WriteConsistency(Consistency);
        writer.WriteByte((byte)flags);
        if (flags.HasFlag(QueryFlags.Values))
        {
            writer.WriteShort(checked((ushort)Values.Count));
            for (var i = 0; i < Values.Count; i++)
            {
                if (ValueNames is not null)
                {
                    writer.WriteString(ValueNames[i]);
                }

                writer.WriteValue(Values[i]);
            }
        }

        if (PageSize is { } pageSize)
        {
            writer.WriteInt(pageSize);
        }

        if (PagingState is { } pagingState)
        {
            writer.WriteBytes(pagingState);
        }

        if (SerialConsistency is { } serial)
        {
            writer.WriteConsistency(serial);
        }

        if (DefaultTimestamp is { } timestamp)
        {
            writer.WriteLong(timestamp);
        }
    }

    public static QueryParameters Decode(CqlReader reader)
    {
        var consistency = reader.ReadConsistency();
        var flags = (QueryFlags)reader.ReadByte();
        IReadOnlyList<CqlValue> values = [];
        List<string>? names = null;
        if (flags.HasFlag(QueryFlags.Values))
        {
            var count = reader.ReadShort();
            var read = new CqlValue[count];
            names = flags.HasFlag(QueryFlags.WithNamesForValues) ? new List<string>(count) : null;
            for (var i = 0; i < count; i++)
            {
                names?.Add(reader.ReadString());
                read[i] = reader.ReadValue();
            }

            values = read;
        }

        return new QueryParameters
        {
            Consistency = consistency,
            Values = values,
            ValueNames = names,
            SkipMetadata = flags.HasFlag(QueryFlags.SkipMetadata),
            PageSize = flags.HasFlag(QueryFlags.PageSize) ? reader.ReadInt() : null,
            PagingState = flags.HasFlag(QueryFlags.WithPagingState) ? reader.ReadBytes() : null,
            SerialConsistency = flags.HasFlag(QueryFlags.WithSerialConsistency) ? reader.ReadConsistency() : null,
            DefaultTimestamp = flags.HasFlag(QueryFlags.WithDefaultTimestamp) ? reader.ReadLong() : null,
        };
    }
}
