namespace Streaming.Cql.Protocol;

/// <summary>One &lt;col_spec_i&gt;: where the column lives, its name (or alias / bind marker name) and type.</summary>
public sealed record ColumnSpec(string Keyspace, string Table, string Name, CqlType Type);

/// <summary>
/// &lt;metadata&gt; of a Rows result (section 4.2.5.2): flags, column count, the paging state when more pages follow,
/// then column specs unless No_metadata is set. Encoding writes one Global_tables_spec when all columns share
/// keyspace and table, per-column specs otherwise.
/// </summary>
public sealed record RowsMetadata
{
    private const int GlobalTablesSpec = 0x0001;
    private const int HasMorePages = 0x0002;
    private const int NoMetadata = 0x0004;

    /// <summary>Metadata with column specs.</summary>
    public RowsMetadata(IReadOnlyList<ColumnSpec> columns, ReadOnlyMemory<byte>? pagingState = null)
        : this(columns.Count, columns, pagingState)
    {
    }

    private RowsMetadata(int columnCount, IReadOnlyList<ColumnSpec>? columns, ReadOnlyMemory<byte>? pagingState)
    {
        ColumnCount = columnCount;
        Columns = columns;
        PagingState = pagingState;
    }

    /// <summary>No metadata for a result with no columns: what a Void-like prepared statement reports.</summary>
    public static RowsMetadata Empty { get; } = WithoutColumns(0);

    /// <summary>Number of columns in each row.</summary>
    public int ColumnCount { get; }

    /// <summary>Column specs, or null when the result had the No_metadata flag.</summary>
    public IReadOnlyList<ColumnSpec>? Columns { get; }

    /// <summary>
    /// Where the next page starts; present exactly when Has_more_pages is set. An empty state counts as none: a null
    /// byte[] silently converts to an empty ReadOnlyMemory, and an empty state cannot resume anything.
    /// </summary>
    public ReadOnlyMemory<byte>? PagingState
    {
        get;
        init => field = value is { IsEmpty: false } ? value : null;
    }

    /// <summary>Metadata flagged No_metadata (the client asked to skip it).</summary>
    public static RowsMetadata WithoutColumns(int columnCount, ReadOnlyMemory<byte>? pagingState = null)
        => new(columnCount, null, pagingState);

    public void Encode(CqlWriter writer)
    {
        var global = Columns is { Count: > 0 } columns && columns.All(c => c.Keyspace == columns[0].Keyspace && c.Table == columns[0].Table);
        var flags = (global ? GlobalTablesSpec : 0) | (PagingState is not null ? HasMorePages : 0) | (Columns is null ? NoMetadata : 0);
        writer.WriteInt(flags);
        writer.WriteInt(ColumnCount);
        if (PagingState is { } pagingState)
        {
            writer.WriteBytes(pagingState);
        }

        if (Columns is not null)
        {
            WriteColumnSpecs(writer, Columns, global);
        }
    }

    public static RowsMetadata Decode(CqlReader reader)
    {
        var flags = reader.ReadInt();
        var count = reader.ReadInt();
        var pagingState = (flags & HasMorePages) != 0 ? reader.ReadBytes() : null;
        return (flags & NoMetadata) != 0
            ? WithoutColumns(count, pagingState)
            : new RowsMetadata(count, ReadColumnSpecs(reader, count, (flags & GlobalTablesSpec) != 0), pagingState);
    }

    /// <summary>Writes &lt;global_table_spec&gt;? then the &lt;col_spec_i&gt; (shared with prepared metadata).</summary>
    internal static void WriteColumnSpecs(CqlWriter writer, IReadOnlyList<ColumnSpec> columns, bool global)
    {
        if (global)
        {
            writer.WriteString(columns[0].Keyspace);
            writer.WriteString(columns[0].Table);
        }

        foreach (var column in columns)
        {
            if (!global)
            {
                writer.WriteString(column.Keyspace);
                writer.WriteString(column.Table);
            }

            writer.WriteString(column.Name);
            TypeOptionCodec.Write(writer, column.Type);
        }
    }

    /// <summary>Reads &lt;global_table_spec&gt;? then <paramref name="count"/> &lt;col_spec_i&gt;.</summary>
    internal static IReadOnlyList<ColumnSpec> ReadColumnSpecs(CqlReader reader, int count, bool global)
    {
        if (count < 0)
        {
            throw new CqlProtocolException($"Negative column count {count}.");
        }

        string keyspace = "", table = "";
        if (global)
        {
            keyspace = reader.ReadString();
            table = reader.ReadString();
        }

        var columns = new ColumnSpec[count];
        for (var i = 0; i < count; i++)
        {
            if (!global)
            {
                keyspace = reader.ReadString();
                table = reader.ReadString();
            }

            var name = reader.ReadString();
            columns[i] = new ColumnSpec(keyspace, table, name, TypeOptionCodec.Read(reader));
        }

        return columns;
    }
}

/// <summary>
/// &lt;metadata&gt; of a Prepared result (section 4.2.5.4): the bind markers and, for token-aware routing, the indexes
/// of the markers forming the partition key.
/// </summary>
public sealed record PreparedMetadata(IReadOnlyList<ColumnSpec> Variables, IReadOnlyList<ushort> PartitionKeyIndexes)
{
    public void Encode(CqlWriter writer)
    {
        var global = Variables.Count > 0 && Variables.All(c => c.Keyspace == Variables[0].Keyspace && c.Table == Variables[0].Table);
        writer.WriteInt(global ? 0x0001 : 0);
        writer.WriteInt(Variables.Count);
        writer.WriteInt(PartitionKeyIndexes.Count);
        foreach (var index in PartitionKeyIndexes)
        {
            writer.WriteShort(index);
        }

        RowsMetadata.WriteColumnSpecs(writer, Variables, global);
    }

    public static PreparedMetadata Decode(CqlReader reader)
    {
        var flags = reader.ReadInt();
        var count = reader.ReadInt();
        var pkIndexes = new ushort[reader.ReadInt()];
        for (var i = 0; i < pkIndexes.Length; i++)
        {
            pkIndexes[i] = reader.ReadShort();
        }

        return new PreparedMetadata(RowsMetadata.ReadColumnSpecs(reader, count, (flags & 0x0001) != 0), pkIndexes);
    }
}
