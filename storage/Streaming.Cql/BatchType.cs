namespace Streaming.Cql;

/// <summary>The BATCH &lt;type&gt; byte (native protocol v4, section 4.1.7).</summary>
public enum BatchType : byte
{
    /// <summary>Written to the batch log first: all statements apply or, after a coordinator failure, are replayed.</summary>
    Logged = 0,

    /// <summary>No batch log: cheaper, used for group commits of independent, idempotent writes.</summary>
    Unlogged = 1,

    /// <summary>Counter updates only.</summary>
    Counter = 2,
}
