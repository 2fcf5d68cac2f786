using System.Net;

namespace Streaming.LocalCql;

/// <summary>
/// Who this engine node says it is in <c>system.local</c>, and which other nodes it lists in <c>system.peers</c> /
/// <c>system.peers_v2</c>. A node's host id defaults to a name-based UUID of its endpoint, so nodes configured with each
/// other's endpoints agree on every host id without further setup.
/// </summary>
public sealed record CqlEngineOptions
{
    /// <summary>The cluster_name (drivers only log it).</summary>
    public string ClusterName { get; init; } = "Local Cluster";

    /// <summary>The data_center of this node and, unless a peer says otherwise, of its peers.</summary>
    public string DataCenter { get; init; } = "datacenter1";

    /// <summary>The rack of this node and, unless a peer says otherwise, of its peers.</summary>
    public string Rack { get; init; } = "rack1";

    /// <summary>The release_version; drivers choose their schema queries by it (4.x: system_schema and peers_v2).</summary>
    public string ReleaseVersion { get; init; } = "4.0.11";

    /// <summary>The address and native port clients reach this node at: listen/broadcast/rpc address and rpc_port.</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 9042);

    /// <summary>The host_id; null derives it from <see cref="Endpoint"/>.</summary>
    public Guid? HostId { get; init; }

    /// <summary>The other nodes of the cluster, each listed as a row of system.peers and system.peers_v2.</summary>
    public IReadOnlyList<CqlPeer> Peers { get; init; } = [];
}

/// <summary>Another node of the local cluster as this node describes it to clients.</summary>
/// <param name="Endpoint">The peer's address and native port (peers_v2 native_address/native_port; peers rpc_address).</param>
/// <param name="HostId">The peer's host_id; null derives it from the endpoint, as that node does for itself by default.</param>
/// <param name="DataCenter">The peer's data_center; null: the same as this node's.</param>
/// <param name="Rack">The peer's rack; null: the same as this node's.</param>
public sealed record CqlPeer(IPEndPoint Endpoint, Guid? HostId = null, string? DataCenter = null, string? Rack = null);
