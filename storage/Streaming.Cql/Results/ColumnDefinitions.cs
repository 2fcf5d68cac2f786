using Streaming.Cql.Protocol;

namespace Streaming.Cql.Results;

/// <summary>The columns of a result, with lookup by name (exact first, then ignoring case as CQL folds unquoted names).</summary>
public sealed class ColumnDefinitions : IReadOnlyList<ColumnSpec>
{
    private readonly IReadOnlyList<ColumnSpec> _columns;
    private readonly Dictionary<string, int> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _folded = new(StringComparer.OrdinalIgnoreCase);

    public ColumnDefinitions(IReadOnlyList<ColumnSpec> columns)
    {
        _columns = columns;
        for (var i = 0; i < columns.Count; i++)
        {
            _exact.TryAdd(columns[i].Name, i);
            _folded.TryAdd(columns[i].Name, i);
        }
    }

    public static ColumnDefinitions Empty { get; } = new([]);

    public int Count => _columns.Count;

    public ColumnSpec this[int index] => _columns[index];

    /// <summary>The index of <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
        => _exact.TryGetValue(name, out var index) || _folded.TryGetValue(name, out index) ? index : -1;

    /// <summary>The index of <paramref name="name"/>; a missing column throws naming the ones there are.</summary>
    public int Require(string name)
    {
        var index = IndexOf(name);
        return index >= 0
            ? index
            : throw new KeyNotFoundException($"No column '{name}' in the result; it has {string.Join(", ", _columns.Select(c => c.Name))}.");
    }

    public IEnumerator<ColumnSpec> GetEnumerator() => _columns.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
