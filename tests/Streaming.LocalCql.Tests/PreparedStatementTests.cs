using System.Net;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Tests;

public sealed class PreparedStatementTests
{
    private const string Table = "CREATE TABLE t (a text, b int, c timestamp, v text, m map<text, text>, PRIMARY KEY ((a, b), c))";

    [Fact]
    public void prepared_insert_names_each_variable_after_its_column_and_marks_the_partition_key()
    {
        var harness = EngineHarness.WithKeyspace(Table);

        var prepared = harness.Engine.Prepare("INSERT INTO t (v, b, a, c, m) VALUES (?, ?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?", "ks");

        Assert.Equal(
            [
                new ColumnSpec("ks", "t", "v", CqlType.Text),
                new ColumnSpec("ks", "t", "b", CqlType.Int),
                new ColumnSpec("ks", "t", "a", CqlType.Text),
                new ColumnSpec("ks", "t", "c", CqlType.Timestamp),
                new ColumnSpec("ks", "t", "m", CqlType.MapOf(CqlType.Text, CqlType.Text)),
                new ColumnSpec("ks", "t", "[ttl]", CqlType.Int),
                new ColumnSpec("ks", "t", "[timestamp]", CqlType.Bigint),
            ],
            prepared.Variables.Variables);
        Assert.Equal([2, 1], prepared.Variables.PartitionKeyIndexes);
        Assert.Null(prepared.ResultMetadata.Columns);
        Assert.Equal(16, prepared.Id.Length);
    }

    [Fact]
    public void prepared_select_describes_relations_in_lists_limit_and_result_columns()
    {
        var harness = EngineHarness.WithKeyspace(Table);

        var prepared = harness.Engine.Prepare("SELECT v, TTL(v) FROM ks.t WHERE a = :pa AND b IN ? AND c > ? LIMIT ?", null);

        Assert.Equal(["pa", "in(b)", "c", "[limit]"], prepared.Variables.Variables.Select(v => v.Name));
        Assert.Equal(CqlType.ListOf(CqlType.Int), prepared.Variables.Variables[1].Type);
        Assert.Empty(prepared.Variables.PartitionKeyIndexes);
        Assert.Equal([("v", CqlType.Text), ("ttl(v)", CqlType.Int)], prepared.ResultMetadata.Columns!.Select(c => (c.Name, c.Type)));
        Assert.Equal([0, 1], harness.Engine.Prepare("SELECT * FROM t WHERE a = ? AND b = ?", "ks").Variables.PartitionKeyIndexes);
    }

    [Fact]
    public void executing_a_prepared_statement_binds_its_values_in_the_keyspace_it_was_prepared_in()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        var insert = harness.Engine.Prepare("INSERT INTO t (a, b, c, v) VALUES (?, ?, ?, ?)", "ks");
        var select = harness.Engine.Prepare("SELECT v FROM t WHERE a = ? AND b = ?", "ks");
        var elsewhere = new EngineSession();

        harness.Engine.Execute(insert.Id, EngineHarness.Parameters(Bytes.Text("x"), Bytes.Int(1), Bytes.BigInt(5), Bytes.Text("hello")), elsewhere);
        var rows = Assert.IsType<RowsResult>(harness.Engine.Execute(select.Id, EngineHarness.Parameters(Bytes.Text("x"), Bytes.Int(1)), elsewhere));

        Assert.Equal("hello", Bytes.AsText(rows.Rows[0][0]));
    }

    [Fact]
    public void the_same_query_prepares_to_the_same_id_on_every_node_and_an_unknown_id_is_unprepared()
    {
        var nodes = CqlEngine.CreateCluster([new IPEndPoint(IPAddress.Loopback, 9042), new IPEndPoint(IPAddress.Loopback, 9043)]);
        nodes[0].Execute("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", EngineHarness.Parameters(), new EngineSession());
        nodes[0].Execute(Table.Replace("TABLE t", "TABLE ks.t", StringComparison.Ordinal), EngineHarness.Parameters(), new EngineSession());
        const string query = "SELECT v FROM ks.t WHERE a = ? AND b = ?";
        var id = nodes[0].Prepare(query, null).Id;

        var error = Assert.Throws<CqlEngineException>(() => nodes[1].Execute(id, EngineHarness.Parameters(Bytes.Text("x"), Bytes.Int(1)), new EngineSession()));

        Assert.Equal(CqlErrorCode.Unprepared, error.Code);
        Assert.Equal(id.ToArray(), Assert.IsType<UnpreparedDetails>(error.Details).Id.ToArray());
        Assert.Equal(id.ToArray(), nodes[1].Prepare(query, null).Id.ToArray());
        Assert.IsType<RowsResult>(nodes[1].Execute(id, EngineHarness.Parameters(Bytes.Text("x"), Bytes.Int(1)), new EngineSession()));
    }

    [Fact]
    public void an_unknown_id_in_a_batch_is_unprepared_too()
    {
        var harness = EngineHarness.WithKeyspace(Table);

        var error = Assert.Throws<CqlEngineException>(() => harness.Batch(BatchType.Logged, BatchQuery.Prepared(new byte[] { 1, 2, 3 }, [])));

        Assert.Equal(CqlErrorCode.Unprepared, error.Code);
        Assert.Equal([1, 2, 3], Assert.IsType<UnpreparedDetails>(error.Details).Id.ToArray());
    }

    [Fact]
    public void preparing_against_a_missing_table_or_column_fails_like_executing_it()
    {
        var harness = EngineHarness.WithKeyspace(Table);

        Assert.Equal("unconfigured table nope", Assert.Throws<CqlEngineException>(() => harness.Engine.Prepare("SELECT * FROM nope", "ks")).Message);
        Assert.Equal(CqlErrorCode.Invalid, Assert.Throws<CqlEngineException>(() => harness.Engine.Prepare("SELECT * FROM t WHERE zz = ?", "ks")).Code);
        Assert.Equal(CqlErrorCode.SyntaxError, Assert.Throws<CqlEngineException>(() => harness.Engine.Prepare("SELECT FROM", "ks")).Code);
    }

    [Fact]
    public void bind_markers_inside_collection_literals_are_refused_at_prepare()
    {
        var harness = EngineHarness.WithKeyspace(Table);

        var error = Assert.Throws<CqlEngineException>(() => harness.Engine.Prepare("INSERT INTO t (a, b, c, m) VALUES ('a', 1, 2, {'k': ?})", "ks"));

        Assert.Equal(CqlErrorCode.Invalid, error.Code);
    }

    [Fact]
    public void dropping_a_table_forgets_statements_prepared_on_it_so_clients_prepare_again()
    {
        var harness = EngineHarness.WithKeyspace(Table);
        var select = harness.Engine.Prepare("SELECT v FROM t WHERE a = ? AND b = ?", "ks");

        harness.Run("DROP TABLE t");
        harness.Run("CREATE TABLE t (a text, b int, v int, PRIMARY KEY ((a, b)))");
        var error = Assert.Throws<CqlEngineException>(() => harness.Engine.Execute(select.Id, EngineHarness.Parameters(Bytes.Text("x"), Bytes.Int(1)), harness.Session));
        var again = harness.Engine.Prepare("SELECT v FROM t WHERE a = ? AND b = ?", "ks");

        Assert.Equal(CqlErrorCode.Unprepared, error.Code);
        Assert.Equal(select.Id.ToArray(), again.Id.ToArray());
        Assert.Equal(CqlType.Int, Assert.Single(again.ResultMetadata.Columns!).Type);
    }
}
