using System.Net;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Tests;

public sealed class SystemTableTests
{
    /// <summary>Every query the DataStax Python driver 3.25 (cluster.py ControlConnection, metadata.py SchemaParserV4) sends at connect.</summary>
    public static TheoryData<string> DriverQueries => new(
        "SELECT * FROM system.peers_v2",
        "SELECT * FROM system.peers",
        "SELECT * FROM system.local WHERE key='local'",
        "SELECT host_id, cluster_name, data_center, rack, partitioner, release_version, schema_version FROM system.local WHERE key='local'",
        "SELECT rpc_address FROM system.local WHERE key='local'",
        "SELECT schema_version FROM system.local WHERE key='local'",
        "SELECT host_id, peer, peer_port, data_center, rack, native_address, native_port, release_version, schema_version FROM system.peers_v2",
        "SELECT host_id, peer, peer_port, native_address, native_port, schema_version FROM system.peers_v2",
        "SELECT peer, host_id, rpc_address, schema_version FROM system.peers",
        "SELECT * FROM system_schema.keyspaces",
        "SELECT * FROM system_schema.tables",
        "SELECT * FROM system_schema.columns",
        "SELECT * FROM system_schema.types",
        "SELECT * FROM system_schema.functions",
        "SELECT * FROM system_schema.aggregates",
        "SELECT * FROM system_schema.triggers",
        "SELECT * FROM system_schema.indexes",
        "SELECT * FROM system_schema.views",
        "SELECT * from system_virtual_schema.keyspaces",
        "SELECT * from system_virtual_schema.tables",
        "SELECT * from system_virtual_schema.columns",
        "SELECT * FROM system_schema.keyspaces WHERE keyspace_name = 'ks'",
        "SELECT * FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name = 't'",
        "SELECT * FROM system_schema.columns WHERE keyspace_name = 'ks' AND table_name = 't'",
        "SELECT * FROM system_schema.views WHERE keyspace_name = 'ks' AND view_name = 't'",
        "SELECT * FROM system_schema.types WHERE keyspace_name = 'ks' AND type_name = 'x'",
        "SELECT * FROM system_schema.functions WHERE keyspace_name = 'ks' AND function_name = 'f' AND argument_types = ['int']");

    [Theory]
    [MemberData(nameof(DriverQueries))]
    public void every_query_a_driver_sends_at_connect_succeeds(string cql)
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY)");

        Assert.IsType<RowsResult>(harness.Run(cql));
    }

    [Fact]
    public void system_local_describes_this_node_with_cassandra_4_columns()
    {
        var options = new CqlEngineOptions { ClusterName = "Test", DataCenter = "dc9", Rack = "r7", Endpoint = new IPEndPoint(IPAddress.Parse("127.0.0.5"), 19042) };
        var harness = new EngineHarness(options);

        var result = harness.Rows("SELECT * FROM system.local WHERE key='local'");
        var row = result.Metadata.Columns!.Select(c => c.Name).Zip(Assert.Single(result.Rows)).ToDictionary(p => p.First, p => p.Second);

        Assert.Equal(
            ["key", "bootstrapped", "broadcast_address", "broadcast_port", "cluster_name", "cql_version", "data_center", "gossip_generation",
             "host_id", "listen_address", "listen_port", "native_protocol_version", "partitioner", "rack", "release_version", "rpc_address",
             "rpc_port", "schema_version", "tokens", "truncated_at"],
            result.Metadata.Columns!.Select(c => c.Name));
        Assert.Equal(CqlType.SetOf(CqlType.Text), result.Metadata.Columns!.Single(c => c.Name == "tokens").Type);
        Assert.Equal("Test", Bytes.AsText(row["cluster_name"]));
        Assert.Equal("3.4.5", Bytes.AsText(row["cql_version"]));
        Assert.Equal("4", Bytes.AsText(row["native_protocol_version"]));
        Assert.Equal("4.0.11", Bytes.AsText(row["release_version"]));
        Assert.Equal("org.apache.cassandra.dht.Murmur3Partitioner", Bytes.AsText(row["partitioner"]));
        Assert.Equal(("dc9", "r7"), (Bytes.AsText(row["data_center"]), Bytes.AsText(row["rack"])));
        Assert.Equal(IPAddress.Parse("127.0.0.5"), Bytes.AsInet(row["rpc_address"]));
        Assert.Equal(19042, Bytes.AsInt(row["rpc_port"]));
        Assert.Equal(harness.Engine.HostId, Bytes.AsUuid(row["host_id"]));
        Assert.Equal(harness.Engine.SchemaVersion, Bytes.AsUuid(row["schema_version"]));
        Assert.Single(Bytes.AsTextCollection(row["tokens"]));
    }

    [Fact]
    public void schema_version_in_system_local_changes_after_ddl()
    {
        var harness = new EngineHarness();
        var before = Bytes.AsUuid(harness.Rows("SELECT schema_version FROM system.local WHERE key='local'").Rows[0][0]);

        harness.Run("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");

        Assert.NotEqual(before, Bytes.AsUuid(harness.Rows("SELECT schema_version FROM system.local WHERE key='local'").Rows[0][0]));
    }

    [Fact]
    public void nodes_of_a_cluster_list_each_other_as_peers_agree_on_schema_and_share_data()
    {
        var endpoints = new[] { 9042, 9043, 9044 }.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToList();
        var nodes = CqlEngine.CreateCluster(endpoints);
        var session = new EngineSession();

        var peers = Assert.IsType<RowsResult>(nodes[0].Execute("SELECT host_id, native_address, native_port, schema_version, tokens FROM system.peers_v2", EngineHarness.Parameters(), session));
        nodes[1].Execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}", EngineHarness.Parameters(), session);
        nodes[1].Execute("CREATE TABLE ks.t (k int PRIMARY KEY, v text)", EngineHarness.Parameters(), session);
        nodes[2].Execute("INSERT INTO ks.t (k, v) VALUES (1, 'shared')", EngineHarness.Parameters(), session);
        var read = Assert.IsType<RowsResult>(nodes[0].Execute("SELECT v FROM ks.t WHERE k = 1", EngineHarness.Parameters(), session));

        Assert.Equal([nodes[1].HostId, nodes[2].HostId], peers.Rows.Select(r => Bytes.AsUuid(r[0])).Order());
        Assert.Equal([9043, 9044], peers.Rows.Select(r => Bytes.AsInt(r[2])).Order());
        Assert.All(peers.Rows, r => Assert.Equal(IPAddress.Loopback, Bytes.AsInet(r[1])));
        var tokens = nodes.Select(n => Bytes.AsTextCollection(Assert.IsType<RowsResult>(
            n.Execute("SELECT tokens FROM system.local", EngineHarness.Parameters(), session)).Rows[0][0])[0]).ToList();
        Assert.Equal(3, tokens.Distinct().Count());
        Assert.Equal(peers.Rows.Select(r => Bytes.AsTextCollection(r[4])[0]).Order(), tokens.Skip(1).Order());
        Assert.All(nodes, n => Assert.Equal(nodes[0].SchemaVersion, n.SchemaVersion));
        Assert.Equal("shared", Bytes.AsText(read.Rows[0][0]));
    }

    [Fact]
    public void system_peers_lists_peers_by_address_with_rpc_address()
    {
        var options = new CqlEngineOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Parse("127.0.0.1"), 9042),
            Peers = [new CqlPeer(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 9042), DataCenter: "dc2")],
        };
        var harness = new EngineHarness(options);

        var row = Assert.Single(harness.Rows("SELECT peer, rpc_address, data_center, rack, release_version FROM system.peers").Rows);

        Assert.Equal(IPAddress.Parse("127.0.0.2"), Bytes.AsInet(row[0]));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), Bytes.AsInet(row[1]));
        Assert.Equal(("dc2", "rack1", "4.0.11"), (Bytes.AsText(row[2]), Bytes.AsText(row[3]), Bytes.AsText(row[4])));
    }

    [Fact]
    public void system_schema_describes_a_created_table_as_cassandra_4_does()
    {
        var harness = EngineHarness.WithKeyspace(
            "CREATE TABLE log (id text, at timestamp, kind text, attrs map<text, text>, PRIMARY KEY ((id), at, kind)) "
            + "WITH CLUSTERING ORDER BY (at DESC, kind ASC) AND default_time_to_live = 3600 AND comment = 'delivery'");

        var keyspace = harness.Rows("SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = 'ks'").Rows[0];
        var table = harness.Rows("SELECT default_time_to_live, comment, flags, id FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name = 'log'").Rows[0];
        var columns = harness.Rows("SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns WHERE keyspace_name = 'ks' AND table_name = 'log'")
            .Rows.Select(r => (Bytes.AsText(r[0]), Bytes.AsText(r[1]), Bytes.AsInt(r[2]), Bytes.AsText(r[3]), Bytes.AsText(r[4]))).ToList();

        Assert.True(Bytes.AsBool(keyspace[0]));
        Assert.Equal(
            [new("class", "org.apache.cassandra.locator.SimpleStrategy"), new("replication_factor", "1")],
            Bytes.AsTextMap(keyspace[1]));
        Assert.Equal(3600, Bytes.AsInt(table[0]));
        Assert.Equal("delivery", Bytes.AsText(table[1]));
        Assert.Equal(["compound"], Bytes.AsTextCollection(table[2]));
        Assert.Equal(
            [
                ("at", "clustering", 0, "desc", "timestamp"),
                ("attrs", "regular", -1, "none", "map<text, text>"),
                ("id", "partition_key", 0, "none", "text"),
                ("kind", "clustering", 1, "asc", "text"),
            ],
            columns);
    }

    [Fact]
    public void system_schema_lists_the_system_keyspaces_and_virtual_schema_lists_itself()
    {
        var harness = new EngineHarness();

        var keyspaces = harness.TextColumn("SELECT keyspace_name FROM system_schema.keyspaces");
        var virtualKeyspaces = harness.TextColumn("SELECT keyspace_name FROM system_virtual_schema.keyspaces");

        Assert.Equal(["system", "system_schema"], keyspaces);
        Assert.Equal(["system_virtual_schema"], virtualKeyspaces);
        Assert.Empty(harness.Rows("SELECT * FROM system_schema.types").Rows);
    }

    [Fact]
    public void unknown_system_tables_are_unconfigured()
    {
        var error = new EngineHarness().Fails("SELECT * FROM system.size_estimates");

        Assert.Equal((CqlErrorCode.Invalid, "unconfigured table size_estimates"), (error.Code, error.Message));
    }
}
