namespace Streaming.LocalCql;

/// <summary>
/// Per-connection state: the keyspace chosen with <c>USE</c>. One per client connection; the engine reads and sets it
/// while executing that connection's statements.
/// </summary>
public sealed class EngineSession
{
    private volatile string? keyspace;

    /// <summary>A session with no keyspace, or with <paramref name="keyspace"/> already in use.</summary>
    public EngineSession(string? keyspace = null)
    {
        this.keyspace = keyspace;
    }

    /// <summary>The keyspace unqualified table names resolve in, or null before any <c>USE</c>.</summary>
    public string? Keyspace
    {
        get => keyspace;
        internal set => keyspace = value;
    }
}
