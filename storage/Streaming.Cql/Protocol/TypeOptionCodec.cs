namespace Streaming.Cql.Protocol;

/// <summary>
/// Reads and writes a column type as an [option] (section 4.2.5.2): the type id, then for custom a [string] class
/// name, for list/set one [option], for map two, for UDT keyspace/name/fields and for tuple its components.
/// </summary>
public static class TypeOptionCodec
{
    public static void Write(CqlWriter writer, CqlType type)
    {
        writer.WriteShort((ushort)type.Code);
        switch (type.Code)
        {
            case CqlTypeCode.Custom:
                writer.WriteString(type.Name ?? throw new ArgumentException("A custom type needs its class name.", nameof(type)));
                break;
            case CqlTypeCode.List or CqlTypeCode.Set:
                Write(writer, type.Arguments[0]);
                break;
            case CqlTypeCode.Map:
                Write(writer, type.Arguments[0]);
                Write(writer, type.Arguments[1]);
                break;
            case CqlTypeCode.Udt:
                var name = type.Name ?? throw new ArgumentException("A UDT needs its keyspace.name.", nameof(type));
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                writer.WriteString(name[..Math.Max(dot, 0)]);
                writer.WriteString(name[(dot + 1)..]);
                writer.WriteShort((ushort)type.Arguments.Count);
                for (var i = 0; i < type.Arguments.Count; i++)
                {
                    writer.WriteString(type.FieldNames[i]);
                    Write(writer, type.Arguments[i]);
                }

                break;
            case CqlTypeCode.Tuple:
                writer.WriteShort((ushort)type.Arguments.Count);
                foreach (var component in type.Arguments)
                {
                    Write(writer, component);
                }

                break;
        }
    }

    public static CqlType Read(CqlReader reader)
    {
        var code = (CqlTypeCode)reader.ReadShort();
        switch (code)
        {
            case CqlTypeCode.Custom:
                return CqlType.Custom(reader.ReadString());
            case CqlTypeCode.List:
                return CqlType.ListOf(Read(reader));
            case CqlTypeCode.Set:
                return CqlType.SetOf(Read(reader));
            case CqlTypeCode.Map:
                var key = Read(reader);
                return CqlType.MapOf(key, Read(reader));
            case CqlTypeCode.Udt:
                var keyspace = reader.ReadString();
                var name = reader.ReadString();
                var fields = new (string, CqlType)[reader.ReadShort()];
                for (var i = 0; i < fields.Length; i++)
                {
                    var field = reader.ReadString();
                    fields[i] = (field, Read(reader));
                }

                return CqlType.Udt(keyspace, name, fields);
            case CqlTypeCode.Tuple:
                var components = new CqlType[reader.ReadShort()];
                for (var i = 0; i < components.Length; i++)
                {
                    components[i] = Read(reader);
                }

                return CqlType.TupleOf(components);
            default:
                return Enum.IsDefined(code)
                    ? new CqlType(code, [])
                    : throw new CqlProtocolException($"Unknown column type id 0x{(ushort)code:X4}.");
        }
    }
}
