using System.Globalization;
using System.Net;

namespace Streaming.LocalCql.SystemTables;

/// <summary>One node as system.local / system.peers describe it.</summary>
internal sealed record NodeIdentity(IPEndPoint Endpoint, Guid HostId, string DataCenter, string Rack, string Token);

/// <summary>
/// The nodes of the local cluster as one node sees them: itself and its peers, each with one Murmur3 token. Tokens
/// split the ring evenly by endpoint order, so every node computes the same token for every node.
/// </summary>
internal sealed record ClusterTopology(NodeIdentity Local, IReadOnlyList<NodeIdentity> Peers)
{
    public static ClusterTopology From(CqlEngineOptions options)
    {
        var endpoints = options.Peers.Select(p => p.Endpoint).Append(options.Endpoint)
            .Select(e => e.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        NodeIdentity Node(IPEndPoint endpoint, Guid? hostId, string? dataCenter, string? rack) => new(
            endpoint,
            hostId ?? DefaultHostId(endpoint),
            dataCenter ?? options.DataCenter,
            rack ?? options.Rack,
            Token(endpoints.IndexOf(endpoint.ToString()), endpoints.Count));

        return new ClusterTopology(
            Node(options.Endpoint, options.HostId, null, null),
            [.. options.Peers.Select(p => Node(p.Endpoint, p.HostId, p.DataCenter, p.Rack))]);
    }

    public static Guid DefaultHostId(IPEndPoint endpoint) => NameUuid.From("local-cql-node:" + endpoint);

    /// <summary>Node <paramref name="index"/> of <paramref name="count"/> owns the ring slice starting at its token.</summary>
    private static string Token(int index, int count)
    {
        var step = ulong.MaxValue / (ulong)count;
        var token = unchecked(long.MinValue + (long)(step * (ulong)index));
        return token.ToString(CultureInfo.InvariantCulture);
    }
}
