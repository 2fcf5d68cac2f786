using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;

namespace Streaming.LocalCql.Tests;

public sealed class ParserTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void delivery_log_schema_file_parses_as_written_with_its_comments()
    {
        var statements = CqlParser.ParseScript(File.ReadAllText(RepoPaths.Of("schemas", "delivery_log.cql")));

        Assert.Equal(2, statements.Count);
        var keyspace = Assert.IsType<CreateKeyspaceStatement>(statements[0]);
        Assert.True(keyspace.IfNotExists);
        Assert.Equal("streaming", keyspace.Name);
        Assert.Equal("SimpleStrategy", keyspace.Replication["class"]);
        Assert.Equal("1", keyspace.Replication["replication_factor"]);
        var table = Assert.IsType<CreateTableStatement>(statements[1]);
        Assert.Equal(new QualifiedName("streaming", "delivery_log"), table.Table);
        Assert.Equal(18, table.Columns.Count);
        Assert.Equal(["event_id"], table.PartitionKey);
        Assert.Equal(["channel", "target", "occurred_at", "outcome", "attempt"], table.Clustering);
        Assert.All(table.Order, o => Assert.False(o.Descending));
        Assert.Equal("2592000", Assert.IsType<LiteralTerm>(table.Options["default_time_to_live"]).Text);
        Assert.Equal(CqlType.Timestamp, table.Columns.Single(c => c.Name == "occurred_at").Type.Type);
        Assert.Equal(CqlType.Timeuuid, table.Columns.Single(c => c.Name == "write_id").Type.Type);
        Assert.Equal(CqlType.MapOf(CqlType.Text, CqlType.Text), table.Columns.Single(c => c.Name == "details").Type.Type);
    }

    [Fact]
    public void all_three_comment_styles_are_skipped()
    {
        var parsed = CqlParser.Parse("/* block\n comment */ SELECT -- line\n a // other line\n FROM t");

        var select = Assert.IsType<SelectStatement>(parsed.Statement);
        Assert.Equal("a", Assert.IsType<ColumnSelector>(Assert.Single(select.Selectors!)).Column);
    }

    [Fact]
    public void unquoted_names_fold_to_lower_case_and_quoted_names_keep_case_and_doubled_quotes()
    {
        var insert = Assert.IsType<InsertStatement>(CqlParser.Parse("INSERT INTO Ks.\"MyTable\" (Id, \"Quoted\"\"Col\") VALUES (1, 'it''s')").Statement);

        Assert.Equal(new QualifiedName("ks", "MyTable"), insert.Table);
        Assert.Equal(["id", "Quoted\"Col"], insert.Columns);
        Assert.Equal(new LiteralTerm(LiteralKind.String, "it's"), insert.Values[1]);
    }

    [Fact]
    public void insert_parses_markers_literals_if_not_exists_and_using_ttl_and_timestamp()
    {
        var parsed = CqlParser.Parse(
            "INSERT INTO t (a, b, c, d, e, f, g) VALUES (?, :named, -5, 1.5e3, 0xCAFE, 123e4567-e89b-12d3-a456-426614174000, {'k': 'v'}) "
            + "IF NOT EXISTS USING TTL ? AND TIMESTAMP 42;");

        var insert = Assert.IsType<InsertStatement>(parsed.Statement);
        Assert.True(insert.IfNotExists);
        Assert.Equal([new BindMarkerTerm(0, null), new BindMarkerTerm(1, "named"), new BindMarkerTerm(2, null)], parsed.Markers);
        Assert.Equal(new LiteralTerm(LiteralKind.Integer, "-5"), insert.Values[2]);
        Assert.Equal(new LiteralTerm(LiteralKind.Float, "1.5e3"), insert.Values[3]);
        Assert.Equal(new LiteralTerm(LiteralKind.Hex, "CAFE"), insert.Values[4]);
        Assert.Equal(LiteralKind.Uuid, Assert.IsType<LiteralTerm>(insert.Values[5]).Kind);
        Assert.Single(Assert.IsType<MapLiteralTerm>(insert.Values[6]).Entries);
        Assert.Equal(new BindMarkerTerm(2, null), insert.Using.Ttl);
        Assert.Equal(new LiteralTerm(LiteralKind.Integer, "42"), insert.Using.Timestamp);
    }

    [Fact]
    public void select_parses_selectors_relations_order_limit_and_allow_filtering()
    {
        var select = Assert.IsType<SelectStatement>(CqlParser.Parse(
            "SELECT a AS x, TTL(b), WRITETIME(b) FROM ks.t WHERE a = ? AND b IN (1, 2) AND c >= 3 AND c < 9 AND d IN ? "
            + "ORDER BY c DESC LIMIT 10 ALLOW FILTERING").Statement);

        Assert.Equal(
            [new ColumnSelector("a", "x"), new CellMetadataSelector("ttl", "b", null), new CellMetadataSelector("writetime", "b", null)],
            select.Selectors!);
        Assert.Equal(
            [RelationOperator.Equal, RelationOperator.In, RelationOperator.GreaterOrEqual, RelationOperator.Less, RelationOperator.In],
            select.Where.Select(r => r.Operator));
        Assert.Equal(2, select.Where[1].Values.Count);
        Assert.True(select.Where[4].InMarker);
        Assert.Equal([new ClusteringOrder("c", true)], select.OrderBy);
        Assert.Equal(new LiteralTerm(LiteralKind.Integer, "10"), select.Limit);
        Assert.True(select.AllowFiltering);
    }

    [Fact]
    public void count_star_select_star_update_delete_batch_truncate_use_and_drop_parse()
    {
        Assert.IsType<CountSelector>(Assert.Single(Assert.IsType<SelectStatement>(CqlParser.Parse("SELECT COUNT(*) FROM t").Statement).Selectors!));
        Assert.True(Assert.IsType<SelectStatement>(CqlParser.Parse("select * from t").Statement).SelectsAll);
        var update = Assert.IsType<UpdateStatement>(CqlParser.Parse("UPDATE t USING TTL 5 SET a = 1, b = ? WHERE k = 2").Statement);
        Assert.Equal(["a", "b"], update.Assignments.Select(a => a.Column));
        var delete = Assert.IsType<DeleteStatement>(CqlParser.Parse("DELETE a, b FROM t USING TIMESTAMP 3 WHERE k = 1 AND c > 2").Statement);
        Assert.Equal(["a", "b"], delete.Columns);
        var batch = Assert.IsType<BatchStatement>(CqlParser.Parse(
            "BEGIN UNLOGGED BATCH INSERT INTO t (k) VALUES (1); DELETE FROM t WHERE k = 2; APPLY BATCH").Statement);
        Assert.Equal(BatchType.Unlogged, batch.Kind);
        Assert.Equal(2, batch.Statements.Count);
        Assert.Equal(new QualifiedName(null, "t"), Assert.IsType<TruncateStatement>(CqlParser.Parse("TRUNCATE TABLE t").Statement).Table);
        Assert.Equal("ks", Assert.IsType<UseStatement>(CqlParser.Parse("USE ks").Statement).Keyspace);
        Assert.True(Assert.IsType<DropTableStatement>(CqlParser.Parse("DROP TABLE IF EXISTS ks.t").Statement).IfExists);
        Assert.False(Assert.IsType<DropKeyspaceStatement>(CqlParser.Parse("DROP KEYSPACE ks").Statement).IfExists);
    }

    [Fact]
    public void create_table_parses_inline_primary_key_collections_frozen_and_descending_order()
    {
        var table = Assert.IsType<CreateTableStatement>(CqlParser.Parse(
            "CREATE TABLE t (id uuid PRIMARY KEY, tags set<text>, attrs map<text, int>, seen list<timestamp>, f frozen<list<text>>) "
            + "WITH comment = 'x' AND compaction = {'class': 'LeveledCompactionStrategy'}").Statement);

        Assert.Equal(["id"], table.PartitionKey);
        Assert.Equal(CqlType.SetOf(CqlType.Text), table.Columns[1].Type.Type);
        Assert.Equal(CqlType.MapOf(CqlType.Text, CqlType.Int), table.Columns[2].Type.Type);
        Assert.Equal(CqlType.ListOf(CqlType.Timestamp), table.Columns[3].Type.Type);
        Assert.Equal("frozen<list<text>>", table.Columns[4].Type.ToString());

        var ordered = Assert.IsType<CreateTableStatement>(CqlParser.Parse(
            "CREATE TABLE t (a int, b int, c int, PRIMARY KEY ((a), b, c)) WITH CLUSTERING ORDER BY (b DESC, c ASC)").Statement);
        Assert.Equal([new ClusteringOrder("b", true), new ClusteringOrder("c", false)], ordered.Order);
    }

    [Theory]
    [InlineData("SELEC * FROM t")]
    [InlineData("SELECT * FROM")]
    [InlineData("SELECT * FROM t WHERE")]
    [InlineData("INSERT INTO t (a) VALUES ('unterminated)")]
    [InlineData("SELECT * FROM t WHERE a = 1 garbage")]
    [InlineData("CREATE TABLE ks.t (a int PRIMARY KEY) WITH no_such_option = 1")]
    public void text_that_is_not_cql_fails_with_a_syntax_error(string cql)
    {
        var error = Assert.Throws<CqlEngineException>(() => new EngineHarness().Run(cql));

        Assert.Equal(CqlErrorCode.SyntaxError, error.Code);
    }

    [Fact]
    public void syntax_errors_say_where_like_cassandra()
    {
        var error = Assert.Throws<CqlEngineException>(() => CqlParser.Parse("SELECT * FROM t WHERE a = 1 garbage"));

        Assert.Equal("line 1:28 mismatched input 'garbage' expecting <EOF>", error.Message);
    }

    [Theory]
    [InlineData("CREATE INDEX ON t (a)", "CREATE INDEX")]
    [InlineData("CREATE TYPE ks.addr (street text)", "CREATE TYPE")]
    [InlineData("CREATE OR REPLACE FUNCTION f() RETURNS int", "CREATE FUNCTION")]
    [InlineData("CREATE MATERIALIZED VIEW v AS SELECT * FROM t", "CREATE MATERIALIZED VIEW")]
    [InlineData("ALTER TABLE t ADD c int", "ALTER TABLE")]
    [InlineData("SELECT DISTINCT a FROM t", "SELECT DISTINCT")]
    [InlineData("SELECT JSON * FROM t", "SELECT JSON")]
    [InlineData("SELECT a, COUNT(*) FROM t", "COUNT(*) together")]
    [InlineData("SELECT * FROM t GROUP BY a", "GROUP BY")]
    [InlineData("SELECT * FROM t PER PARTITION LIMIT 1", "PER PARTITION LIMIT")]
    [InlineData("SELECT * FROM t WHERE token(a) > 0", "token()")]
    [InlineData("SELECT * FROM t WHERE tags CONTAINS 'x'", "CONTAINS")]
    [InlineData("SELECT max(a) FROM t", "max()")]
    [InlineData("INSERT INTO t JSON '{}'", "INSERT JSON")]
    [InlineData("UPDATE t SET a = 1 WHERE k = 1 IF EXISTS", "Conditional UPDATE")]
    [InlineData("UPDATE t SET n = n + 1 WHERE k = 1", "increments")]
    [InlineData("DELETE FROM t WHERE k = 1 IF a = 2", "Conditional DELETE")]
    [InlineData("CREATE TABLE t (k int PRIMARY KEY, c counter)", "counter type")]
    [InlineData("CREATE TABLE t (k int, c int STATIC, PRIMARY KEY (k))", "Static columns")]
    [InlineData("GRANT SELECT ON ks.t TO bob", "Permissions")]
    public void statements_outside_the_subset_fail_invalid_naming_the_feature(string cql, string feature)
    {
        var error = Assert.Throws<CqlEngineException>(() => CqlParser.Parse(cql));

        Assert.Equal(CqlErrorCode.Invalid, error.Code);
        Assert.Contains(feature, error.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }
}
