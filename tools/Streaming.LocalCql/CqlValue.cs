namespace Streaming.LocalCql;

/// <summary>How a bound <see cref="CqlValue"/> is present (native protocol v4, section 1: the [value] notation).</summary>
public enum CqlValueKind
{
    /// <summary>A value with bytes (possibly zero bytes: an "empty" value, which CQL distinguishes from null).</summary>
    Bytes,

    /// <summary>Length -1: null. Writing null deletes the cell.</summary>
    Null,

    /// <summary>Length -2: unset. The bound column is left as it is.</summary>
    Unset,
}

/// <summary>A bound value exactly as a client sent it: bytes in the protocol's encoding of the receiver's type, null, or unset.</summary>
public readonly record struct CqlValue
{
    private CqlValue(CqlValueKind kind, byte[]? bytes)
    {
        Kind = kind;
        Bytes = bytes;
    }

    /// <summary>The null value.</summary>
    public static CqlValue Null { get; } = new(CqlValueKind.Null, null);

    /// <summary>The unset value.</summary>
    public static CqlValue Unset { get; } = new(CqlValueKind.Unset, null);

    /// <summary>Whether this is bytes, null or unset.</summary>
    public CqlValueKind Kind { get; }

    /// <summary>The bytes when <see cref="Kind"/> is <see cref="CqlValueKind.Bytes"/>, else null.</summary>
    public byte[]? Bytes { get; }

    /// <summary>A value with bytes.</summary>
    public static CqlValue Of(byte[] bytes) => new(CqlValueKind.Bytes, bytes ?? throw new ArgumentNullException(nameof(bytes)));

    /// <summary>Bytes, or null when <paramref name="bytes"/> is null.</summary>
    public static CqlValue OfNullable(byte[]? bytes) => bytes is null ? Null : Of(bytes);
}
