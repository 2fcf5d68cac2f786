using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.ProviderFakes;

/// <summary>
/// Counts of what the fakes answered: per (channel, eventId, target) calls seen (for fail-first faults) and calls
/// accepted (for duplicates), accepted requests per channel, all requests and OAuth token requests.
/// </summary>
internal sealed class CallCounters
{
    // Seen in the high 32 bits, accepted in the low 32, keyed by a digest of the triple rather than its strings:
    // a long run holds one small entry per triple.
    private const long OneSeen = 1L << 32;

    private readonly ConcurrentDictionary<UInt128, long> calls = new();
    private readonly ConcurrentDictionary<string, long> acceptedByChannel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, string EventId, string Target), byte> duplicateKeys = new();
    private long requests;
    private long tokenRequests;
    private long duplicates;

    public long Requests => Interlocked.Read(ref requests);

    public long TokenRequests => Interlocked.Read(ref tokenRequests);

    public long Duplicates => Interlocked.Read(ref duplicates);

    public IReadOnlyList<(string Channel, string EventId, string Target)> DuplicateKeys => [.. duplicateKeys.Keys];

    public long Accepted(string? channel)
        => channel is null ? acceptedByChannel.Values.Sum() : acceptedByChannel.GetValueOrDefault(channel);

    /// <summary>Counts one more call of the triple (<paramref name="key"/> from <see cref="KeyOf"/>) and returns how many it has had, this one included.</summary>
    public int CountCall(UInt128 key)
        => (int)(calls.AddOrUpdate(key, OneSeen, (_, v) => v + OneSeen) >> 32);

    /// <summary>Counts an accepted call of the triple; a second acceptance is a duplicate a user would see twice.</summary>
    public void CountAccepted(UInt128 key, string channel, string eventId, string target)
    {
        acceptedByChannel.AddOrUpdate(channel, 1, (_, v) => v + 1);
        if ((calls.AddOrUpdate(key, 1, (_, v) => v + 1) & uint.MaxValue) > 1)
        {
            Interlocked.Increment(ref duplicates);
            duplicateKeys.TryAdd((channel, eventId, target), 0);
        }
    }

    public void CountAnswered() => Interlocked.Increment(ref requests);

    public void CountTokenRequest() => Interlocked.Increment(ref tokenRequests);

    /// <summary>The key of a (channel, eventId, target) triple: the first 128 bits of SHA-256 over the length-prefixed triple, so collisions are out of reach at any run's size.</summary>
    public static UInt128 KeyOf(string channel, string eventId, string target)
    {
        var text = $"{channel.Length}:{channel}{eventId.Length}:{eventId}{target.Length}:{target}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
