using Streaming.Cql.Connections;
using Streaming.Cql.Requests;

namespace Streaming.Cql;

/// <summary>
/// Settings of a <see cref="CqlSession"/>. Plain settable properties so they bind from configuration
/// (TimeSpans as "00:00:12"); <see cref="AuthProvider"/>, <see cref="RetryPolicy"/> and the TLS callback are set in code.
/// </summary>
public sealed class CqlClientOptions
{
    /// <summary>Hosts to connect to, as "host", "host:port" or "[ipv6]:port".</summary>
    public IList<string> ContactPoints { get; set; } = [];

    /// <summary>Port for contact points that name none.</summary>
    public int DefaultPort { get; set; } = 9042;

    /// <summary>Keyspace every connection switches to with USE (CQL identifier syntax: quote case-sensitive names).</summary>
    public string? Keyspace { get; set; }

    /// <summary>
    /// Datacenter to prefer. When set, each host's data_center is read from system.local and hosts of this
    /// datacenter are tried first; others only when none of them is up.
    /// </summary>
    public string? LocalDatacenter { get; set; }

    /// <summary>User for PasswordAuthenticator (SASL PLAIN); used when <see cref="AuthProvider"/> is not set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Custom SASL authentication; overrides <see cref="Username"/>/<see cref="Password"/>.</summary>
    public IAuthProvider? AuthProvider { get; set; }

    public CqlTlsOptions Tls { get; set; } = new();

    /// <summary>Consistency of statements that set none.</summary>
    public CqlConsistency DefaultConsistency { get; set; } = CqlConsistency.LocalQuorum;

    /// <summary>Serial consistency of conditional statements that set none; null leaves the server default (SERIAL).</summary>
    public CqlConsistency? DefaultSerialConsistency { get; set; }

    /// <summary>Rows per page of statements that set no page size.</summary>
    public int PageSize { get; set; } = 5000;

    /// <summary>
    /// How long one host has to answer one attempt (statements can override it). A retry on another host gets a
    /// fresh timeout; the caller's CancellationToken bounds the whole call.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Bound on opening a connection: TCP connect, TLS, and each handshake request.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int ConnectionsPerHost { get; set; } = 2;

    /// <summary>
    /// A connection that has read nothing for this long sends OPTIONS; no answer within <see cref="ConnectTimeout"/>
    /// closes it (and, if it was the host's last, marks the host down). Zero turns the heartbeat off.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Stream ids per connection (1..32768). Callers beyond that wait for a free id.</summary>
    public int MaxRequestsPerConnection { get; set; } = 1024;

    /// <summary>First delay before reconnecting to a down host; doubles per failed attempt.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether statements that do not say are idempotent (safe to retry after they may have run).</summary>
    public bool DefaultIdempotence { get; set; }

    /// <summary>
    /// Send a client-side write timestamp (microseconds, monotonic per session) with every request, so a retried
    /// write carries the timestamp of its first attempt.
    /// </summary>
    public bool ClientTimestamps { get; set; } = true;

    /// <summary>Decides retries per error; <see cref="DefaultRetryPolicy"/> when not set.</summary>
    public IRetryPolicy? RetryPolicy { get; set; }

    internal void Validate()
    {
        if (ContactPoints.Count == 0)
        {
            throw new ArgumentException("At least one contact point is needed.", nameof(ContactPoints));
        }

        Require(ConnectionsPerHost >= 1, nameof(ConnectionsPerHost), "must be at least 1");
        Require(MaxRequestsPerConnection is >= 1 and <= 32768, nameof(MaxRequestsPerConnection), "must be within 1..32768 (stream ids are a positive [short])");
        Require(PageSize >= 1, nameof(PageSize), "must be at least 1");
        Require(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), "must be positive");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Require(HeartbeatInterval >= TimeSpan.Zero, nameof(HeartbeatInterval), "must not be negative");
        Require(ReconnectBaseDelay > TimeSpan.Zero && ReconnectMaxDelay >= ReconnectBaseDelay, nameof(ReconnectBaseDelay), "must be positive and at most ReconnectMaxDelay");
        Require(Username is null == Password is null, nameof(Username), "and Password go together");
    }

    internal IAuthProvider? EffectiveAuthProvider => AuthProvider ?? (Username is not null ? new PlainTextAuthProvider(Username, Password ?? "") : null);

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {rule}.", name);
        }
    }
}
