namespace Streaming.Cql.Protocol;

/// <summary>The [option] IDs of column types (native protocol v4, section 4.2.5.2).</summary>
public enum CqlTypeCode : ushort
{
    Custom = 0x0000,
    Ascii = 0x0001,
    Bigint = 0x0002,
    Blob = 0x0003,
    Boolean = 0x0004,
    Counter = 0x0005,
    Decimal = 0x0006,
    Double = 0x0007,
    Float = 0x0008,
    Int = 0x0009,
    Timestamp = 0x000B,
    Uuid = 0x000C,
    Varchar = 0x000D,
    Varint = 0x000E,
    Timeuuid = 0x000F,
    Inet = 0x0010,
    Date = 0x0011,
    Time = 0x0012,
    Smallint = 0x0013,
    Tinyint = 0x0014,
    List = 0x0020,
    Map = 0x0021,
    Set = 0x0022,
    Udt = 0x0030,
    Tuple = 0x0031,
}

/// <summary>
/// A column type as the protocol describes it: a code plus, for collections, the element types
/// (list/set: one, map: key then value; tuple: the components; UDT: the field types).
/// Shared by the client and the local server so both name types alike.
/// </summary>
public sealed record CqlType(CqlTypeCode Code, IReadOnlyList<CqlType> Arguments)
{
    public static readonly CqlType Ascii = new(CqlTypeCode.Ascii, []);
    public static readonly CqlType Bigint = new(CqlTypeCode.Bigint, []);
    public static readonly CqlType Blob = new(CqlTypeCode.Blob, []);
    public static readonly CqlType Boolean = new(CqlTypeCode.Boolean, []);
    public static readonly CqlType Double = new(CqlTypeCode.Double, []);
    public static readonly CqlType Int = new(CqlTypeCode.Int, []);
    public static readonly CqlType Timestamp = new(CqlTypeCode.Timestamp, []);
    public static readonly CqlType Uuid = new(CqlTypeCode.Uuid, []);
    public static readonly CqlType Text = new(CqlTypeCode.Varchar, []);
    public static readonly CqlType Timeuuid = new(CqlTypeCode.Timeuuid, []);
    public static readonly CqlType Inet = new(CqlTypeCode.Inet, []);
    public static readonly CqlType Counter = new(CqlTypeCode.Counter, []);
    public static readonly CqlType Float = new(CqlTypeCode.Float, []);
    public static readonly CqlType Smallint = new(CqlTypeCode.Smallint, []);
    public static readonly CqlType Tinyint = new(CqlTypeCode.Tinyint, []);
    public static readonly CqlType Varint = new(CqlTypeCode.Varint, []);
    public static readonly CqlType Decimal = new(CqlTypeCode.Decimal, []);
    public static readonly CqlType Date = new(CqlTypeCode.Date, []);
    public static readonly CqlType Time = new(CqlTypeCode.Time, []);

    /// <summary>Custom: the server-side class name; UDT: <c>keyspace.type_name</c>; otherwise null.</summary>
    public string? Name { get; init; }

    /// <summary>UDT field names, parallel to <see cref="Arguments"/>; empty for every other type.</summary>
    public IReadOnlyList<string> FieldNames { get; init; } = [];

    /// <summary>True for list, set and map.</summary>
    public bool IsCollection => Code is CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map;

    public static CqlType ListOf(CqlType element) => new(CqlTypeCode.List, [element]);

    public static CqlType SetOf(CqlType element) => new(CqlTypeCode.Set, [element]);

    public static CqlType MapOf(CqlType key, CqlType value) => new(CqlTypeCode.Map, [key, value]);

    public static CqlType TupleOf(params CqlType[] components) => new(CqlTypeCode.Tuple, components);

    /// <summary>A custom type named by its server-side class.</summary>
    public static CqlType Custom(string className) => new(CqlTypeCode.Custom, []) { Name = className };

    /// <summary>A user-defined type: keyspace, name and its fields in declaration order.</summary>
    public static CqlType Udt(string keyspace, string name, IReadOnlyList<(string Name, CqlType Type)> fields)
        => new(CqlTypeCode.Udt, fields.Select(f => f.Type).ToArray()) { Name = $"{keyspace}.{name}", FieldNames = fields.Select(f => f.Name).ToArray() };

    public bool Equals(CqlType? other) => other is not null && Code == other.Code && Name == other.Name
        && Arguments.SequenceEqual(other.Arguments) && FieldNames.SequenceEqual(other.FieldNames);

    public override int GetHashCode() => Arguments.Aggregate(HashCode.Combine((int)Code, Name), (h, a) => HashCode.Combine(h, a));

    /// <summary>The CQL spelling, e.g. <c>map&lt;text, text&gt;</c>.</summary>
    public override string ToString() => Code switch
    {
        CqlTypeCode.List => $"list<{Arguments[0]}>",
        CqlTypeCode.Set => $"set<{Arguments[0]}>",
        CqlTypeCode.Map => $"map<{Arguments[0]}, {Arguments[1]}>",
        CqlTypeCode.Tuple => $"tuple<{string.Join(", ", Arguments)}>",
        CqlTypeCode.Custom or CqlTypeCode.Udt => Name ?? Code.ToString().ToLowerInvariant(),
        CqlTypeCode.Varchar => "text",
        _ => Code.ToString().ToLowerInvariant(),
    };
}
