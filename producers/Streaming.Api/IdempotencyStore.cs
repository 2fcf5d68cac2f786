using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.Api;

/// <summary>
/// Maps (client, Idempotency-Key) to the event ID of the first request that used it, for
/// <see cref="ApiOptions.IdempotencyWindow"/>. A repeat with the same body gets the same event ID and writes
/// nothing; a repeat with a different body is refused. The event ID itself is derived from the key, so even
/// a repeat that reaches another API instance carries the same event ID and is dropped by the topology's dedup.
/// </summary>
public sealed class IdempotencyStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long lastSweep;

    public sealed class Entry(string eventId, string bodyHash, DateTimeOffset expiresAt)
    {
        public string EventId { get; } = eventId;
        public string BodyHash { get; } = bodyHash;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        /// <summary>Completed once the first request's publish ended; true when it was written.</summary>
        public TaskCompletionSource<bool> Published { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Deterministic event ID for (client, key): a UUID built from a SHA-256 of both.</summary>
    public static string EventIdFor(string client, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(client + "\n" + key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    public static string HashBody(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Returns the existing entry for the key, or adds <paramref name="candidate"/> and returns it.</summary>
    public Entry GetOrAdd(string client, string key, Entry candidate, int capacity)
    {
        Sweep(capacity);
        var id = client + "\n" + key;
        while (true)
        {
            var existing = entries.GetOrAdd(id, candidate);
            if (existing.ExpiresAt > time.GetUtcNow())
            {
                return existing;
            }

            entries.TryRemove(KeyValuePair.Create(id, existing));
        }
    }

    /// <summary>Forgets a key whose first publish failed, so the client can retry with it.</summary>
    public void Forget(string client, string key, Entry entry) => entries.TryRemove(KeyValuePair.Create(client + "\n" + key, entry));

    public int Count => entries.Count;

    private void Sweep(int capacity)
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref lastSweep);
        if (entries.Count < capacity && now.ToUnixTimeMilliseconds() - last < 60_000)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref lastSweep, now.ToUnixTimeMilliseconds(), last) != last)
        {
            return;
        }

        foreach (var (k, v) in entries)
        {
            if (v.ExpiresAt <= now)
            {
                entries.TryRemove(KeyValuePair.Create(k, v));
            }
        }

        // Still over capacity: drop the entries closest to expiry.
        var excess = entries.Count - capacity;
        if (excess > 0)
        {
            foreach (var (k, v) in entries.OrderBy(e => e.Value.ExpiresAt).Take(excess))
            {
                entries.TryRemove(KeyValuePair.Create(k, v));
            }
        }
    }
}
