namespace Streaming.Cql.Connections;

/// <summary>
/// Stream ids 0..capacity-1 of one connection (section 2.3 allows 0..32767). A caller finding none free waits
/// asynchronously, first come first served, instead of queueing without bound.
/// </summary>
internal sealed class StreamIdPool
{
    private readonly SemaphoreSlim _free;
    private readonly Stack<short> _ids;
    private readonly Lock _lock = new();

    public StreamIdPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 32768);
        Capacity = capacity;
        _free = new SemaphoreSlim(capacity, capacity);
        _ids = new Stack<short>(capacity);
        for (var id = capacity - 1; id >= 0; id--)
        {
            _ids.Push((short)id);
        }
    }

    public int Capacity { get; }

    /// <summary>Ids taken (including those held for late answers).</summary>
    public int InUse => Capacity - _free.CurrentCount;

    public async ValueTask<short> AcquireAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return _ids.Pop();
        }
    }

    public void Release(short id)
    {
        lock (_lock)
        {
            _ids.Push(id);
        }

        _free.Release();
    }
}
