using Streaming.Cql;

namespace Streaming.DeliveryLog;

/// <summary>The Cassandra store, bound from "DeliveryLog:Cassandra". Credentials come from configuration or the environment only.</summary>
public sealed class CassandraDeliveryLogOptions
{
    /// <summary>host[:port] of some nodes; the client spreads requests over those that are up.</summary>
    public List<string> ContactPoints { get; set; } = [];

    public string Keyspace { get; set; } = "streaming";

    /// <summary>The data center whose nodes are tried first (system.local's data_center).</summary>
    public string? LocalDatacenter { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>TLS to the nodes (the server certificate must be trusted by this machine).</summary>
    public bool Tls { get; set; }

    /// <summary>Consistency of every read and write. LOCAL_QUORUM on both sides makes one instance see what another wrote.</summary>
    public CqlConsistency Consistency { get; set; } = CqlConsistency.LocalQuorum;

    /// <summary>How long a row lives: the log holds targets (addresses, tokens), which must not live forever.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Create the keyspace and table from schemas/delivery_log.cql at start (when no migration job does it).</summary>
    public bool CreateSchema { get; set; }

    /// <summary>Rows per unlogged batch at most (group commit); small, as a batch spans partitions.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Batches in flight at once: writes are pipelined, nobody waits for one round trip per row in series.</summary>
    public int MaxConcurrentWrites { get; set; } = 64;

    /// <summary>Timeout of one attempt of one request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Problems()
    {
        if (ContactPoints.Count == 0 || ContactPoints.Any(string.IsNullOrWhiteSpace))
        {
            yield return "DeliveryLog:Cassandra:ContactPoints needs at least one host[:port].";
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(Keyspace, "^[A-Za-z][A-Za-z0-9_]{0,47}$"))
        {
            yield return $"DeliveryLog:Cassandra:Keyspace '{Keyspace}' is not a CQL keyspace name.";
        }

        if (Ttl <= TimeSpan.Zero || BatchSize < 1 || MaxConcurrentWrites < 1 || RequestTimeout <= TimeSpan.Zero)
        {
            yield return "DeliveryLog:Cassandra: Ttl and RequestTimeout must be > 0, BatchSize and MaxConcurrentWrites >= 1.";
        }
    }

    internal CqlClientOptions ClientOptions(bool withKeyspace) => new()
    {
        ContactPoints = ContactPoints,
        Keyspace = withKeyspace ? Keyspace : null,
        LocalDatacenter = LocalDatacenter,
        Username = Username,
        Password = Password,
        Tls = new CqlTlsOptions { Enabled = Tls },
        DefaultConsistency = Consistency,
        RequestTimeout = RequestTimeout,
        DefaultIdempotence = true, // every statement of the log is an upsert or a read
    };
}
