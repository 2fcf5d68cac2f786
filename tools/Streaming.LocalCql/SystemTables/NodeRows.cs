using static Streaming.LocalCql.SystemTables.SystemValues;

namespace Streaming.LocalCql.SystemTables;

/// <summary>
/// The rows of system.local, system.peers and system.peers_v2. A node's storage port (listen_port, broadcast_port,
/// peer_port, preferred_port) is reported as its native port: several nodes sharing one address stay distinct rows of
/// peers_v2, whose key is (peer, peer_port). peers (v1) is keyed by address alone, so such nodes collapse there; give
/// nodes distinct loopback addresses (127.0.0.1, 127.0.0.2 ...) when a client reads only system.peers.
/// </summary>
internal sealed class NodeRows(CqlEngineOptions options, ClusterTopology topology, long gossipGeneration)
{
    public const string Partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
    public const string CqlVersion = "3.4.5";

    public IEnumerable<Dictionary<string, byte[]?>> Local(Guid schemaVersion)
    {
        var node = topology.Local;
        var address = Inet(node.Endpoint.Address);
        var port = Int(node.Endpoint.Port);
        yield return new Dictionary<string, byte[]?>
        {
            ["key"] = Text("local"),
            ["bootstrapped"] = Text("COMPLETED"),
            ["broadcast_address"] = address,
            ["broadcast_port"] = port,
            ["cluster_name"] = Text(options.ClusterName),
            ["cql_version"] = Text(CqlVersion),
            ["data_center"] = Text(node.DataCenter),
            ["gossip_generation"] = Int((int)gossipGeneration),
            ["host_id"] = Uuid(node.HostId),
            ["listen_address"] = address,
            ["listen_port"] = port,
            ["native_protocol_version"] = Text("4"),
            ["partitioner"] = Text(Partitioner),
            ["rack"] = Text(node.Rack),
            ["release_version"] = Text(options.ReleaseVersion),
            ["rpc_address"] = address,
            ["rpc_port"] = port,
            ["schema_version"] = Uuid(schemaVersion),
            ["tokens"] = TextSet(node.Token),
        };
    }

    public IEnumerable<Dictionary<string, byte[]?>> Peers(Guid schemaVersion) => topology.Peers.Select(peer => new Dictionary<string, byte[]?>
    {
        ["peer"] = Inet(peer.Endpoint.Address),
        ["data_center"] = Text(peer.DataCenter),
        ["host_id"] = Uuid(peer.HostId),
        ["preferred_ip"] = Inet(peer.Endpoint.Address),
        ["rack"] = Text(peer.Rack),
        ["release_version"] = Text(options.ReleaseVersion),
        ["rpc_address"] = Inet(peer.Endpoint.Address),
        ["schema_version"] = Uuid(schemaVersion),
        ["tokens"] = TextSet(peer.Token),
    });

    public IEnumerable<Dictionary<string, byte[]?>> PeersV2(Guid schemaVersion) => topology.Peers.Select(peer => new Dictionary<string, byte[]?>
    {
        ["peer"] = Inet(peer.Endpoint.Address),
        ["peer_port"] = Int(peer.Endpoint.Port),
        ["data_center"] = Text(peer.DataCenter),
        ["host_id"] = Uuid(peer.HostId),
        ["preferred_ip"] = Inet(peer.Endpoint.Address),
        ["preferred_port"] = Int(peer.Endpoint.Port),
        ["rack"] = Text(peer.Rack),
        ["release_version"] = Text(options.ReleaseVersion),
        ["native_address"] = Inet(peer.Endpoint.Address),
        ["native_port"] = Int(peer.Endpoint.Port),
        ["schema_version"] = Uuid(schemaVersion),
        ["tokens"] = TextSet(peer.Token),
    });
}
