namespace Streaming.Cql.Protocol;

/// <summary>What a [value] holds: bytes, null (length -1) or not set (length -2, section 3).</summary>
public enum CqlValueKind
{
    Bytes,
    Null,
    Unset,
}

/// <summary>
/// A [value] of a QUERY/EXECUTE/BATCH body: serialized bytes, null, or "unset" (leave the column unchanged).
/// </summary>
public readonly record struct CqlValue(CqlValueKind Kind, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The null value (length -1).</summary>
    public static CqlValue Null => new(CqlValueKind.Null, default);

    /// <summary>The not-set value (length -2): the bound column keeps what it holds.</summary>
    public static CqlValue Unset => new(CqlValueKind.Unset, default);

    public bool IsNull => Kind == CqlValueKind.Null;

    public bool IsUnset => Kind == CqlValueKind.Unset;

    /// <summary>A value holding <paramref name="bytes"/>.</summary>
    public static CqlValue Of(ReadOnlyMemory<byte> bytes) => new(CqlValueKind.Bytes, bytes);

    /// <summary>A value holding <paramref name="bytes"/>, or null when they are null.</summary>
    public static CqlValue OfNullable(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Of(b) : Null;

    /// <summary>
    /// A value holding <paramref name="bytes"/>, or null when the array is null. Without this overload a null array
    /// would convert implicitly to an empty ReadOnlyMemory, an "empty" value rather than null.
    /// </summary>
    public static CqlValue OfNullable(byte[]? bytes) => bytes is null ? Null : Of(bytes);
}
