using System.Collections.Concurrent;

namespace Streaming.ProviderFakes;

/// <summary>The latest provider requests with their details, oldest first, bounded by a capacity (0 keeps none).</summary>
internal sealed class RequestJournal(int capacity)
{
    private readonly ConcurrentQueue<FakeRequest> requests = new();
    private long count;

    public int Capacity { get; } = Math.Max(0, capacity);

    /// <summary>False when the journal keeps nothing: endpoints then skip collecting details altogether.</summary>
    public bool IsOn => Capacity > 0;

    public IReadOnlyList<FakeRequest> Snapshot => [.. requests];

    public void Add(FakeRequest request)
    {
        if (!IsOn)
        {
            return;
        }

        requests.Enqueue(request);
        if (Interlocked.Increment(ref count) > Capacity && requests.TryDequeue(out _))
        {
            Interlocked.Decrement(ref count);
        }
    }
}
