
namespace Streaming.LocalCql.Tests;

public sealed class ConcurrencyTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task concurrent_writers_and_readers_on_several_nodes_lose_no_rows()
    {
        var nodes = CqlEngine.CreateCluster([new(System.Net.IPAddress.Loopback, 9042), new(System.Net.IPAddress.Loopback, 9043)]);
        nodes[0].ExecuteScript("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}; "
            + "CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c));");
        var prepared = nodes.Select(n => n.Prepare("INSERT INTO ks.t (k, c, v) VALUES (?, ?, 'x')", null)).ToList();

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var node = w % 2;
            for (var c = 0; c < 200; c++)
            {
                nodes[node].Execute(prepared[node].Id, EngineHarness.Parameters(Bytes.Int(w % 4), Bytes.Int((w * 1000) + c)), new EngineSession());
                if (c % 50 == 0)
                {
                    nodes[1 - node].Execute("SELECT * FROM ks.t WHERE k = 0", EngineHarness.Parameters() with { PageSize = 10 }, new EngineSession());
                }
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(writers);

        var count = Assert.IsType<RowsResult>(nodes[1].Execute("SELECT COUNT(*) FROM ks.t", EngineHarness.Parameters(), new EngineSession()));
        Assert.Equal(1600, Bytes.AsLong(count.Rows[0][0]));
    }
}
