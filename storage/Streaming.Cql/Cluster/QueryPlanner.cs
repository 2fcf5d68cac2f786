namespace Streaming.Cql.Cluster;

/// <summary>
/// Round-robin query plans over the hosts that are up: hosts of the local datacenter first, then hosts whose
/// datacenter is unknown, then the rest. Each plan starts one host further along, spreading coordinators.
/// </summary>
internal sealed class QueryPlanner(IReadOnlyList<CqlHost> hosts, string? localDatacenter)
{
    private int _next = -1;

    public IReadOnlyList<CqlHost> NewPlan()
    {
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)hosts.Count);
        var plan = new List<CqlHost>(hosts.Count);
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[(start + i) % hosts.Count];
            if (host.IsUp)
            {
                plan.Add(host);
            }
        }

        return localDatacenter is null ? plan : [.. plan.OrderBy(Distance)];
    }

    private int Distance(CqlHost host) => host.Datacenter switch
    {
        null => 1,
        var dc when dc == localDatacenter => 0,
        _ => 2,
    };
}
