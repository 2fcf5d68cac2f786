using Streamiz.Kafka.Net.State;

namespace Streaming.Processors;

/// <summary>
/// The eventId dedup over the dedup store: "id:{eventId}" holds when it was first seen (ms), and a time index
/// "at:{ms:D13}:{eventId}" lets the purge find what is past the horizon with a range scan instead of a full one.
/// The store is changelogged, so the index survives a restart or a move of the partition.
/// </summary>
internal sealed class DedupIndex(IKeyValueStore<string, long> store, TimeSpan horizon, int maxPerPurge)
{
    private const string IdPrefix = "id:";
    private const string TimePrefix = "at:";

    /// <summary>True when <paramref name="eventId"/> was seen within the horizon; otherwise remembers it as seen now.</summary>
    public bool IsDuplicate(string eventId, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var seen = store.Get(IdPrefix + eventId); // 0 when absent
        if (seen > 0 && nowMs - seen < (long)horizon.TotalMilliseconds)
        {
            return true;
        }

        store.Put(IdPrefix + eventId, nowMs);
        store.Put($"{TimePrefix}{StoreRanges.SortableMs(nowMs)}:{eventId}", nowMs);
        return false;
    }

    /// <summary>
    /// Forgets that <paramref name="eventId"/> was seen. Its time-index entry stays; the purge drops it in time and
    /// leaves a newer sighting alone.
    /// </summary>
    public void Forget(string eventId) => store.Delete(IdPrefix + eventId);

    /// <summary>Forgets eventIds first seen before the horizon, at most <c>maxPerPurge</c> per call.</summary>
    public void Purge(DateTimeOffset now)
    {
        var cutoff = now.ToUnixTimeMilliseconds() - (long)horizon.TotalMilliseconds;
        foreach (var key in StoreRanges.Keys(store, TimePrefix, $"{TimePrefix}{StoreRanges.SortableMs(cutoff)};", maxPerPurge))
        {
            store.Delete(key);
            var id = IdPrefix + key[(TimePrefix.Length + 14)..]; // "at:" + 13 digits + ":"
            // Seen again after the horizon: the newer sighting has its own index entry and stays.
            if (store.Get(id) is var seen && seen > 0 && seen <= cutoff)
            {
                store.Delete(id);
            }
        }
    }
}
