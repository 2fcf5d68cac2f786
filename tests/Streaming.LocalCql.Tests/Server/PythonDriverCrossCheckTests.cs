using System.Text.Json.Nodes;
using static Streaming.LocalCql.Tests.Server.ServerRig;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>
/// The peer cross-check: the DataStax Python driver (3.25, protocol negotiation, schema and token metadata all at their
/// defaults) and our client read each other's rows through a two-node local cluster, value by value. What one side
/// encodes, the server stores as sent, and the other side decodes to the same values.
/// </summary>
public class PythonDriverCrossCheckTests
{
    [Fact(Timeout = 60_000)]
    public async Task rows_our_client_writes_are_read_back_by_the_datastax_driver_value_by_value()
    {
        await using var cluster = await StartClusterAsync(2);
        await using var session = await ConnectAsync([.. cluster.ContactPoints]);
        var insert = await session.PrepareAsync(TypeCheckRow.Insert, Ct);
        var written = TypeCheckRow.Samples("ours", Now);
        foreach (var row in written)
        {
            await session.ExecuteAsync(row.Bind(insert), Ct);
        }

        var answer = await PythonPeer.RunAsync(new JsonObject
        {
            ["contact_points"] = PythonPeer.Array(cluster.ContactPoints.Take(1).Select(p => JsonValue.Create(p))),
            ["keyspace"] = Keyspace,
            ["read_ids"] = PythonPeer.Array([JsonValue.Create("ours")]),
        });

        var read = answer["read"]!.AsArray();
        Assert.Equal(written.OrderBy(r => r.Seq).Select(r => r.Canonical), read.Select(r => PythonPeer.FromJson(r!).Canonical));
        Assert.All(read, r => Assert.Equal(1, r!["tu_version"]!.GetValue<int>()));
        AssertDriverSawTheCluster(answer, cluster.ContactPoints);
    }

    [Fact(Timeout = 60_000)]
    public async Task rows_the_datastax_driver_writes_with_prepared_statements_and_a_batch_are_read_back_by_our_client()
    {
        await using var cluster = await StartClusterAsync(2);
        var single = TypeCheckRow.Samples("theirs", Now);
        var batched = TypeCheckRow.Samples("theirs-batch", Now.AddMinutes(-5));

        var answer = await PythonPeer.RunAsync(new JsonObject
        {
            ["contact_points"] = PythonPeer.Array(cluster.ContactPoints.Skip(1).Select(p => JsonValue.Create(p))),
            ["keyspace"] = Keyspace,
            ["write_rows"] = PythonPeer.Array(single.Select(PythonPeer.ToJson)),
            ["batch_rows"] = PythonPeer.Array(batched.Select(PythonPeer.ToJson)),
        });

        await using var session = await ConnectAsync([.. cluster.ContactPoints]);
        var select = await session.PrepareAsync(TypeCheckRow.Select, Ct);
        foreach (var expected in new[] { single, batched })
        {
            var rows = await session.ExecuteAsync(select.Bind(expected[0].Id), Ct);
            Assert.Equal(expected.OrderBy(r => r.Seq).Select(r => r.Canonical), rows.Select(TypeCheckRow.From).Select(r => r.Canonical));
        }

        Assert.Equal(1, cluster.Nodes.Sum(n => n.Engine.TestControl.Received(CqlStatementKind.Batch)));
        AssertDriverSawTheCluster(answer, cluster.ContactPoints);
    }

    /// <summary>
    /// The driver downgraded to v4, found the other node through peers_v2, built its schema metadata from
    /// system_schema (column types included) and, after its own DDL, saw schema agreement and the new table.
    /// </summary>
    private static void AssertDriverSawTheCluster(JsonObject answer, IReadOnlyList<string> contactPoints)
    {
        var shown = PythonPeer.Show(answer);
        Assert.True(answer["protocol_version"]!.GetValue<int>() == 4, shown);
        Assert.Equal(contactPoints.Order(StringComparer.Ordinal), PythonPeer.Values<string>(answer["hosts"]));
        Assert.True(answer["schema_agreed"]!.GetValue<bool>(), shown);
        Assert.Equal(["delivery_log", "python_ddl", "type_check"], PythonPeer.Values<string>(answer["tables_in_metadata"]));
        var columns = answer["type_check_columns"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["id"] = "text", ["seq"] = "int", ["big"] = "bigint", ["at"] = "timestamp", ["u"] = "uuid", ["tu"] = "timeuuid",
                ["flag"] = "boolean", ["attrs"] = "map<text, text>", ["note"] = "text",
            },
            columns);
    }
}
