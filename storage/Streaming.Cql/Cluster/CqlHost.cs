namespace Streaming.Cql.Cluster;

/// <summary>
/// A Cassandra node the session talks to. Down until a connection to it succeeds; down again when it has no open
/// connection left, while the pool reconnects in the background.
/// </summary>
public sealed class CqlHost
{
    private volatile bool _up;
    private volatile Exception? _lastError;
    private volatile string? _datacenter;

    internal CqlHost(CqlEndpoint endpoint) => Endpoint = endpoint;

    public CqlEndpoint Endpoint { get; }

    /// <summary>data_center from system.local (read when a local datacenter is configured), else null.</summary>
    public string? Datacenter
    {
        get => _datacenter;
        internal set => _datacenter = value;
    }

    public bool IsUp => _up;

    /// <summary>Connections to this host that are open now.</summary>
    public int OpenConnections { get; internal set; }

    /// <summary>Why the host went down (or the last failed reconnection), or null.</summary>
    public Exception? LastError => _lastError;

    public override string ToString() => Endpoint.ToString();

    /// <summary>Marks the host up; true when it was down.</summary>
    internal bool MarkUp()
    {
        _lastError = null;
        if (_up)
        {
            return false;
        }

        _up = true;
        return true;
    }

    /// <summary>Marks the host down with its reason; true when it was up.</summary>
    internal bool MarkDown(Exception reason)
    {
        _lastError = reason;
        if (!_up)
        {
            return false;
        }

        _up = false;
        return true;
    }
}
