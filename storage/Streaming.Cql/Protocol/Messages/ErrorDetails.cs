namespace Streaming.Cql.Protocol;

/// <summary>
/// The extra fields some ERROR codes carry after the message (section 9). Each subtype writes and reads its
/// own fields; <see cref="ErrorResponse"/> picks the subtype by code.
/// </summary>
public abstract record ErrorDetails
{
    internal abstract void Encode(CqlWriter writer);

    /// <summary>Reads the details of <paramref name="code"/>, or null for codes without extra fields.</summary>
    internal static ErrorDetails? Decode(CqlErrorCode code, CqlReader reader) => code switch
    {
        CqlErrorCode.Unavailable => new UnavailableDetails(reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt()),
        CqlErrorCode.WriteTimeout => new WriteTimeoutDetails(reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadString()),
        CqlErrorCode.ReadTimeout => new ReadTimeoutDetails(reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadByte() != 0),
        CqlErrorCode.ReadFailure => new ReadFailureDetails(reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadInt(), reader.ReadByte() != 0),
        CqlErrorCode.WriteFailure => new WriteFailureDetails(reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadInt(), reader.ReadString()),
        CqlErrorCode.FunctionFailure => new FunctionFailureDetails(reader.ReadString(), reader.ReadString(), reader.ReadStringList()),
        CqlErrorCode.AlreadyExists => new AlreadyExistsDetails(reader.ReadString(), reader.ReadString()),
        CqlErrorCode.Unprepared => new UnpreparedDetails(reader.ReadShortBytes()),
        _ => null,
    };

    /// <summary>The details type a code requires, or null when the code carries none.</summary>
    internal static Type? ExpectedFor(CqlErrorCode code) => code switch
    {
        CqlErrorCode.Unavailable => typeof(UnavailableDetails),
        CqlErrorCode.WriteTimeout => typeof(WriteTimeoutDetails),
        CqlErrorCode.ReadTimeout => typeof(ReadTimeoutDetails),
        CqlErrorCode.ReadFailure => typeof(ReadFailureDetails),
        CqlErrorCode.WriteFailure => typeof(WriteFailureDetails),
        CqlErrorCode.FunctionFailure => typeof(FunctionFailureDetails),
        CqlErrorCode.AlreadyExists => typeof(AlreadyExistsDetails),
        CqlErrorCode.Unprepared => typeof(UnpreparedDetails),
        _ => null,
    };
}

/// <summary>Unavailable (0x1000): &lt;cl&gt;&lt;required&gt;&lt;alive&gt;; the coordinator did not send the request.</summary>
public sealed record UnavailableDetails(CqlConsistency Consistency, int Required, int Alive) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteConsistency(Consistency);
        writer.WriteInt(Required);
        writer.WriteInt(Alive);
    }
}

/// <summary>
/// Write_timeout (0x1100): &lt;cl&gt;&lt;received&gt;&lt;blockfor&gt;&lt;writeType&gt;. Write types: SIMPLE, BATCH,
/// UNLOGGED_BATCH, COUNTER, BATCH_LOG (and CAS, VIEW, CDC from newer servers).
/// </summary>
public sealed record WriteTimeoutDetails(CqlConsistency Consistency, int Received, int BlockFor, string WriteType) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteConsistency(Consistency);
        writer.WriteInt(Received);
        writer.WriteInt(BlockFor);
        writer.WriteString(WriteType);
    }
}

/// <summary>Read_timeout (0x1200): &lt;cl&gt;&lt;received&gt;&lt;blockfor&gt;&lt;data_present&gt;.</summary>
public sealed record ReadTimeoutDetails(CqlConsistency Consistency, int Received, int BlockFor, bool DataPresent) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteConsistency(Consistency);
        writer.WriteInt(Received);
        writer.WriteInt(BlockFor);
        writer.WriteByte(DataPresent ? (byte)1 : (byte)0);
    }
}

/// <summary>Read_failure (0x1300): &lt;cl&gt;&lt;received&gt;&lt;blockfor&gt;&lt;numfailures&gt;&lt;data_present&gt;.</summary>
public sealed record ReadFailureDetails(CqlConsistency Consistency, int Received, int BlockFor, int NumFailures, bool DataPresent) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteConsistency(Consistency);
        writer.WriteInt(Received);
        writer.WriteInt(BlockFor);
        writer.WriteInt(NumFailures);
        writer.WriteByte(DataPresent ? (byte)1 : (byte)0);
    }
}

/// <summary>Write_failure (0x1500): &lt;cl&gt;&lt;received&gt;&lt;blockfor&gt;&lt;numfailures&gt;&lt;write_type&gt;.</summary>
public sealed record WriteFailureDetails(CqlConsistency Consistency, int Received, int BlockFor, int NumFailures, string WriteType) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteConsistency(Consistency);
        writer.WriteInt(Received);
        writer.WriteInt(BlockFor);
        writer.WriteInt(NumFailures);
        writer.WriteString(WriteType);
    }
}

/// <summary>Function_failure (0x1400): &lt;keyspace&gt;&lt;function&gt;&lt;arg_types&gt;.</summary>
public sealed record FunctionFailureDetails(string Keyspace, string Function, IReadOnlyList<string> ArgumentTypes) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteString(Keyspace);
        writer.WriteString(Function);
        writer.WriteStringList(ArgumentTypes);
    }
}

/// <summary>Already_exists (0x2400): &lt;ks&gt;&lt;table&gt;; the table is empty when a keyspace already exists.</summary>
public sealed record AlreadyExistsDetails(string Keyspace, string Table) : ErrorDetails
{
    internal override void Encode(CqlWriter writer)
    {
        writer.WriteString(Keyspace);
        writer.WriteString(Table);
    }
}

/// <summary>Unprepared (0x2500): the [short bytes] id the node does not know.</summary>
public sealed record UnpreparedDetails(ReadOnlyMemory<byte> Id) : ErrorDetails
{
    internal override void Encode(CqlWriter writer) => writer.WriteShortBytes(Id.Span);
}
