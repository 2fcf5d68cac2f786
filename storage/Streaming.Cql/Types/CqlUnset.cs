namespace Streaming.Cql.Types;

/// <summary>
/// Bind this to leave a column as it is: it travels as the "not set" [value] (length -2), unlike null, which
/// writes a tombstone.
/// </summary>
public sealed class CqlUnset
{
    public static readonly CqlUnset Value = new();

    private CqlUnset()
    {
    }

    public override string ToString() => "unset";
}
