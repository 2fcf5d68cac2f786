using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Types;

/// <summary>The native CQL type names the engine stores, and the ones it refuses by name.</summary>
internal static class CqlTypeNames
{
    private static readonly Dictionary<string, CqlType> Supported = new(StringComparer.Ordinal)
    {
        ["ascii"] = CqlType.Ascii,
        ["bigint"] = CqlType.Bigint,
        ["blob"] = CqlType.Blob,
        ["boolean"] = CqlType.Boolean,
        ["double"] = CqlType.Double,
        ["float"] = new(CqlTypeCode.Float, []),
        ["int"] = CqlType.Int,
        ["smallint"] = new(CqlTypeCode.Smallint, []),
        ["tinyint"] = new(CqlTypeCode.Tinyint, []),
        ["text"] = CqlType.Text,
        ["varchar"] = CqlType.Text,
        ["timestamp"] = CqlType.Timestamp,
        ["uuid"] = CqlType.Uuid,
        ["timeuuid"] = CqlType.Timeuuid,
        ["inet"] = CqlType.Inet,
    };

    private static readonly HashSet<string> Refused = ["counter", "date", "time", "duration", "decimal", "varint"];

    /// <summary>The type a native type name stands for.</summary>
    public static CqlType Native(string name)
    {
        if (Supported.TryGetValue(name, out var type))
        {
            return type;
        }

        throw Refused.Contains(name)
            ? CqlEngineException.Unsupported($"The {name} type")
            : CqlEngineException.Invalid($"Unknown type {name}");
    }

    /// <summary>The fixed encoded length of a type, or null for variable-length types (section 6 of the v4 spec).</summary>
    public static int? FixedLength(CqlTypeCode code) => code switch
    {
        CqlTypeCode.Int or CqlTypeCode.Float => 4,
        CqlTypeCode.Bigint or CqlTypeCode.Timestamp or CqlTypeCode.Double or CqlTypeCode.Counter => 8,
        CqlTypeCode.Smallint => 2,
        CqlTypeCode.Tinyint or CqlTypeCode.Boolean => 1,
        CqlTypeCode.Uuid or CqlTypeCode.Timeuuid => 16,
        _ => null,
    };
}
