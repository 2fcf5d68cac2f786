using Streaming.Cql.Protocol;
using Streaming.LocalCql.Types;

namespace Streaming.LocalCql.Storage;

/// <summary>
/// Orders composite keys component by component with each component's type order, reversed for DESC clustering
/// columns, so a partition's rows are kept in the table's clustering order. A shorter key that is a prefix of a longer
/// one sorts first.
/// </summary>
internal sealed class KeyComparer(IReadOnlyList<CqlType> types, IReadOnlyList<bool> descending) : IComparer<byte[][]>
{
    public int Compare(byte[][]? x, byte[][]? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var c = CompareComponent(i, x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>Component <paramref name="index"/> in storage order (DESC columns reversed).</summary>
    private int CompareComponent(int index, byte[] x, byte[] y)
    {
        var c = ValueComparer.Compare(types[index], x, y);
        return descending[index] ? -c : c;
    }
}
