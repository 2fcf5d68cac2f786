using System.Collections;
using System.Net;
using System.Numerics;
using Streaming.Cql.Protocol;

namespace Streaming.Cql.Types;

/// <summary>
/// The CQL type a .NET value is written as when no column type is known (values of simple statements).
/// The server receives only bytes, so the inferred type just has to serialize like the column's.
/// </summary>
public static class CqlTypeInference
{
    /// <summary>The CQL type for a value; collections are typed by their generic arguments.</summary>
    public static CqlType Infer(object value) => Infer(value.GetType());

    public static CqlType Infer(Type type)
    {
        if (type == typeof(string)) return CqlType.Text;
        if (type == typeof(int)) return CqlType.Int;
        if (type == typeof(long)) return CqlType.Bigint;
        if (type == typeof(bool)) return CqlType.Boolean;
        if (type == typeof(double)) return CqlType.Double;
        if (type == typeof(float)) return CqlType.Float;
        if (type == typeof(decimal)) return CqlType.Decimal;
        if (type == typeof(BigInteger)) return CqlType.Varint;
        if (type == typeof(short)) return CqlType.Smallint;
        if (type == typeof(sbyte)) return CqlType.Tinyint;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return CqlType.Timestamp;
        if (type == typeof(Guid)) return CqlType.Uuid;
        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) || type == typeof(Memory<byte>) || type == typeof(ArraySegment<byte>)) return CqlType.Blob;
        if (typeof(IPAddress).IsAssignableFrom(type)) return CqlType.Inet;
        if (type == typeof(DateOnly)) return CqlType.Date;
        if (type == typeof(TimeOnly)) return CqlType.Time;

        if (Generic(type, typeof(IDictionary<,>)) is { } map) return CqlType.MapOf(Infer(map[0]), Infer(map[1]));
        if (Generic(type, typeof(IReadOnlyDictionary<,>)) is { } roMap && typeof(IDictionary).IsAssignableFrom(type)) return CqlType.MapOf(Infer(roMap[0]), Infer(roMap[1]));
        if (Generic(type, typeof(ISet<>)) is { } set) return CqlType.SetOf(Infer(set[0]));
        if (Generic(type, typeof(IEnumerable<>)) is { } list) return CqlType.ListOf(Infer(list[0]));

        throw new ArgumentException($"No CQL type is inferred for {type.Name}; prepare the statement to bind by column type.");
    }

    private static Type[]? Generic(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type.GetGenericArguments();
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments();
    }
}
