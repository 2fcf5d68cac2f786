using System.Globalization;
using Streamiz.Kafka.Net.State;

namespace Streaming.Processors;

/// <summary>
/// Range scans over the RocksDB stores. Their keys are ordered strings, so "every key with this prefix" and "every key up
/// to this one" are a single range scan instead of a full one.
/// </summary>
internal static class StoreRanges
{
    /// <summary>Milliseconds as 13 digits, so that in keys string order is time order.</summary>
    public static string SortableMs(long ms) => ms.ToString("D13", CultureInfo.InvariantCulture);

    /// <summary>
    /// The first <paramref name="max"/> keys in [<paramref name="from"/>, <paramref name="to"/>], in key order, collected
    /// and the iterator closed, so the caller may delete them.
    /// </summary>
    public static List<string> Keys<V>(IKeyValueStore<string, V> store, string from, string to, int max)
    {
        var keys = new List<string>();
        using var range = store.Range(from, to);
        while (keys.Count < max && range.MoveNext())
        {
            if (range.Current is { } kv)
            {
                keys.Add(kv.Key);
            }
        }

        return keys;
    }

    /// <summary>The values of every key that starts with <paramref name="prefix"/> in a global table, in key order.</summary>
    public static IEnumerable<V> WithPrefix<V>(ITimestampedKeyValueStore<string, V> store, string prefix)
        where V : class
    {
        using var range = store.Range(prefix, prefix + '\uffff');
        while (range.MoveNext())
        {
            if (range.Current is { } kv && kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Value?.Value is { } value)
            {
                yield return value;
            }
        }
    }
}
