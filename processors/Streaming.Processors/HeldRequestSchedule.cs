using System.Text;
using Streamiz.Kafka.Net.State;

namespace Streaming.Processors;

/// <summary>
/// Held requests (sendAt in the future, quiet hours) over the schedule store, keyed "{dueAt ms:D13}:{offset:D19}:{eventId}":
/// a range scan up to now returns exactly what is due, in due then arrival order. The value is a
/// <see cref="HeldRequest"/>, so a release re-runs the request from its original bytes. The store is changelogged.
/// </summary>
internal sealed class HeldRequestSchedule(IKeyValueStore<string, byte[]> store, int partition, int maxPerRelease)
{
    /// <summary>Keeps <paramref name="origin"/> until <paramref name="dueAt"/>; <paramref name="kind"/> says why it waits.</summary>
    public void Hold(Origin origin, string eventId, DateTimeOffset dueAt, string kind)
        => store.Put($"{StoreRanges.SortableMs(dueAt.ToUnixTimeMilliseconds())}:{origin.Offset:D19}:{eventId}", HeldRequest.Encode(origin, kind));

    /// <summary>
    /// Hands each due entry (at most <c>maxPerRelease</c>, oldest first) to <paramref name="release"/> with why it was held,
    /// or, when this version cannot read it, to <paramref name="unreadable"/> with its stored bytes; then deletes it.
    /// </summary>
    public void ReleaseDue(DateTimeOffset now, Action<Origin, string> release, Action<Origin> unreadable)
    {
        foreach (var key in StoreRanges.Keys(store, "0", StoreRanges.SortableMs(now.ToUnixTimeMilliseconds()) + ";", maxPerRelease))
        {
            var stored = store.Get(key);
            if (HeldRequest.TryDecode(stored, out var origin, out var kind))
            {
                release(origin, kind);
            }
            else
            {
                // Never loop on (or silently drop) a stored entry this version cannot read: hand its bytes on.
                unreadable(new Origin(NotificationTopology.ScheduleStore, partition, -1, Encoding.UTF8.GetBytes(key), stored, []));
            }

            // Deleted only once handled: a crash before this releases it again, and the senders' (eventId, channel, target)
            // check drops the repeat.
            store.Delete(key);
        }
    }
}
