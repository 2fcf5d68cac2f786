namespace Streaming.Cql.Protocol;

/// <summary>RESULT (4.2.5): an [int] kind then the kind's body.</summary>
public abstract record ResultResponse : CqlMessage
{
    public const int VoidKind = 0x0001;
    public const int RowsKind = 0x0002;
    public const int SetKeyspaceKind = 0x0003;
    public const int PreparedKind = 0x0004;
    public const int SchemaChangeKind = 0x0005;

    public sealed override CqlOpcode Opcode => CqlOpcode.Result;

    /// <summary>The result kind written before the body.</summary>
    public abstract int Kind { get; }

    public sealed override void Encode(CqlWriter writer)
    {
        writer.WriteInt(Kind);
        EncodeBody(writer);
    }

    protected abstract void EncodeBody(CqlWriter writer);

    public static ResultResponse Decode(CqlReader reader)
    {
        var kind = reader.ReadInt();
        return kind switch
        {
            VoidKind => new VoidResult(),
            RowsKind => RowsResult.DecodeBody(reader),
            SetKeyspaceKind => new SetKeyspaceResult(reader.ReadString()),
            PreparedKind => PreparedResult.DecodeBody(reader),
            SchemaChangeKind => new SchemaChangeResult(SchemaChange.Decode(reader)),
            _ => throw new CqlProtocolException($"Unknown RESULT kind 0x{kind:X4}."),
        };
    }
}

/// <summary>Void (4.2.5.1): success without data.</summary>
public sealed record VoidResult : ResultResponse
{
    public override int Kind => VoidKind;

    protected override void EncodeBody(CqlWriter writer)
    {
    }
}

/// <summary>
/// Rows (4.2.5.2): metadata, an [int] row count, then each row's column values as [bytes] (null for a null cell).
/// Decoded cells are slices of the frame body.
/// </summary>
public sealed record RowsResult(RowsMetadata Metadata, IReadOnlyList<ReadOnlyMemory<byte>?[]> Rows) : ResultResponse
{
    public override int Kind => RowsKind;

    protected override void EncodeBody(CqlWriter writer)
    {
        Metadata.Encode(writer);
        writer.WriteInt(Rows.Count);
        foreach (var row in Rows)
        {
            if (row.Length != Metadata.ColumnCount)
            {
                throw new ArgumentException($"A row has {row.Length} cell(s); the metadata declares {Metadata.ColumnCount} column(s).");
            }

            foreach (var cell in row)
            {
                writer.WriteBytes(cell);
            }
        }
    }

    internal static RowsResult DecodeBody(CqlReader reader)
    {
        var metadata = RowsMetadata.Decode(reader);
        var count = reader.ReadInt();
        if (count < 0)
        {
            throw new CqlProtocolException($"Negative row count {count}.");
        }

        var rows = new ReadOnlyMemory<byte>?[count][];
        for (var r = 0; r < count; r++)
        {
            var row = new ReadOnlyMemory<byte>?[metadata.ColumnCount];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = reader.ReadBytes();
            }

            rows[r] = row;
        }

        return new RowsResult(metadata, rows);
    }
}

/// <summary>Set_keyspace (4.2.5.3): the keyspace a USE switched to.</summary>
public sealed record SetKeyspaceResult(string Keyspace) : ResultResponse
{
    public override int Kind => SetKeyspaceKind;

    protected override void EncodeBody(CqlWriter writer) => writer.WriteString(Keyspace);
}

/// <summary>Prepared (4.2.5.4): the [short bytes] id, the bind marker metadata and the result metadata.</summary>
public sealed record PreparedResult(ReadOnlyMemory<byte> Id, PreparedMetadata Variables, RowsMetadata ResultMetadata) : ResultResponse
{
    public override int Kind => PreparedKind;

    protected override void EncodeBody(CqlWriter writer)
    {
        writer.WriteShortBytes(Id.Span);
        Variables.Encode(writer);
        ResultMetadata.Encode(writer);
    }

    internal static PreparedResult DecodeBody(CqlReader reader)
    {
        var id = reader.ReadShortBytes();
        var variables = PreparedMetadata.Decode(reader);
        return new PreparedResult(id, variables, RowsMetadata.Decode(reader));
    }
}

/// <summary>Schema_change (4.2.5.5): the same body as a SCHEMA_CHANGE event.</summary>
public sealed record SchemaChangeResult(SchemaChange Change) : ResultResponse
{
    public override int Kind => SchemaChangeKind;

    protected override void EncodeBody(CqlWriter writer) => Change.Encode(writer);
}
