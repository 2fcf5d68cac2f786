
namespace Streaming.LocalCql.Tests;

public sealed class SchemaStatementTests
{
    private const string CreateKeyspace = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void delivery_log_schema_script_creates_its_keyspace_and_table_and_can_run_again()
    {
        var harness = new EngineHarness();
        var script = File.ReadAllText(RepoPaths.Of("schemas", "delivery_log.cql"));

        harness.Engine.ExecuteScript(script);
        harness.Engine.ExecuteScript(script);

        var columns = harness.Rows("SELECT column_name FROM system_schema.columns WHERE keyspace_name = 'streaming' AND table_name = 'delivery_log'");
        Assert.Equal(18, columns.Rows.Count);
    }

    [Fact]
    public void create_keyspace_answers_schema_change_and_again_with_if_not_exists_answers_void()
    {
        var harness = new EngineHarness();

        Assert.Equal(new SchemaChangeResult(new SchemaChange(SchemaChangeType.Created, SchemaChangeTarget.Keyspace, "ks")), harness.Run(CreateKeyspace));
        Assert.IsType<VoidResult>(harness.Run(CreateKeyspace.Replace("KEYSPACE", "KEYSPACE IF NOT EXISTS", StringComparison.Ordinal)));
    }

    [Fact]
    public void creating_an_existing_keyspace_or_table_fails_already_exists_naming_them()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY)");

        var keyspace = harness.Fails(CreateKeyspace);
        var table = harness.Fails("CREATE TABLE t (k int PRIMARY KEY)");

        Assert.Equal(CqlErrorCode.AlreadyExists, keyspace.Code);
        Assert.Equal(new AlreadyExistsDetails("ks", ""), keyspace.Details);
        Assert.Equal(CqlErrorCode.AlreadyExists, table.Code);
        Assert.Equal(new AlreadyExistsDetails("ks", "t"), table.Details);
    }

    [Fact]
    public void use_sets_the_session_keyspace_and_unknown_keyspace_is_invalid()
    {
        var harness = new EngineHarness();
        harness.Run(CreateKeyspace);

        Assert.Equal(new SetKeyspaceResult("ks"), harness.Run("USE ks"));
        Assert.Equal("ks", harness.Session.Keyspace);
        Assert.Equal(CqlErrorCode.Invalid, harness.Fails("USE nope").Code);
    }

    [Fact]
    public void dropping_a_table_removes_its_rows_and_a_recreated_table_starts_empty()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY, v text)");
        harness.Run("INSERT INTO t (k, v) VALUES (1, 'a')");

        Assert.Equal(new SchemaChangeResult(new SchemaChange(SchemaChangeType.Dropped, SchemaChangeTarget.Table, "ks", "t")), harness.Run("DROP TABLE t"));
        Assert.Equal("unconfigured table t", harness.Fails("SELECT * FROM t").Message);
        harness.Run("CREATE TABLE t (k int PRIMARY KEY, v text)");
        Assert.Empty(harness.Rows("SELECT * FROM t").Rows);
    }

    [Fact]
    public void drop_of_missing_objects_is_invalid_unless_if_exists()
    {
        var harness = EngineHarness.WithKeyspace();

        Assert.Equal(CqlErrorCode.Invalid, harness.Fails("DROP TABLE nope").Code);
        Assert.Equal(CqlErrorCode.Invalid, harness.Fails("DROP KEYSPACE nope").Code);
        Assert.IsType<VoidResult>(harness.Run("DROP TABLE IF EXISTS nope"));
        Assert.IsType<VoidResult>(harness.Run("DROP KEYSPACE IF EXISTS nope"));
    }

    [Fact]
    public void truncate_empties_the_table_and_keeps_its_schema()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY, v text)");
        harness.Run("INSERT INTO t (k, v) VALUES (1, 'a')");

        Assert.IsType<VoidResult>(harness.Run("TRUNCATE t"));

        Assert.Empty(harness.Rows("SELECT * FROM t").Rows);
        harness.Run("INSERT INTO t (k, v) VALUES (2, 'b')");
        Assert.Single(harness.Rows("SELECT * FROM t").Rows);
    }

    [Fact]
    public void every_schema_change_moves_the_schema_version_and_raises_the_event()
    {
        var harness = new EngineHarness();
        var changes = new List<SchemaChange>();
        harness.Engine.SchemaChanged += changes.Add;
        var versions = new List<Guid> { harness.Engine.SchemaVersion };

        harness.Run(CreateKeyspace);
        versions.Add(harness.Engine.SchemaVersion);
        harness.Run("CREATE TABLE ks.t (k int PRIMARY KEY)");
        versions.Add(harness.Engine.SchemaVersion);
        harness.Run("CREATE TABLE IF NOT EXISTS ks.t (k int PRIMARY KEY)");
        versions.Add(harness.Engine.SchemaVersion);

        Assert.Equal(3, versions.Distinct().Count());
        Assert.Equal(versions[2], versions[3]);
        Assert.Equal([SchemaChangeTarget.Keyspace, SchemaChangeTarget.Table], changes.Select(c => c.Target));
    }

    [Theory]
    [InlineData("CREATE TABLE t (k int, v int)", "No PRIMARY KEY")]
    [InlineData("CREATE TABLE t (k int PRIMARY KEY, k text)", "Duplicate column")]
    [InlineData("CREATE TABLE t (k int PRIMARY KEY, j int PRIMARY KEY)", "Multiple PRIMARY KEYs")]
    [InlineData("CREATE TABLE t (k int, PRIMARY KEY (nope))", "Unknown column 'nope'")]
    [InlineData("CREATE TABLE t (k int, c int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (k DESC)", "Only clustering key columns")]
    [InlineData("CREATE TABLE t (k list<int> PRIMARY KEY)", "non-frozen collection")]
    [InlineData("CREATE TABLE t (k int PRIMARY KEY) WITH default_time_to_live = -1", "default_time_to_live")]
    [InlineData("CREATE TABLE t (k int PRIMARY KEY, v date)", "The date type")]
    [InlineData("CREATE TABLE \"bad-name\" (k int PRIMARY KEY)", "Table name must not")]
    public void invalid_table_definitions_fail_invalid_with_cassandras_reason(string cql, string reason)
    {
        var error = EngineHarness.WithKeyspace().Fails(cql);

        Assert.Equal(CqlErrorCode.Invalid, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CREATE KEYSPACE k2 WITH replication = {'replication_factor': 1}")]
    [InlineData("CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy'}")]
    [InlineData("CREATE KEYSPACE k2 WITH replication = {'class': 'NoSuchStrategy'}")]
    public void keyspaces_need_a_known_replication_strategy(string cql)
    {
        Assert.Equal(CqlErrorCode.ConfigError, new EngineHarness().Fails(cql).Code);
    }

    [Theory]
    [InlineData("INSERT INTO system.local (key) VALUES ('x')")]
    [InlineData("DELETE FROM system_schema.tables WHERE keyspace_name = 'ks'")]
    [InlineData("TRUNCATE system.peers")]
    [InlineData("DROP TABLE system.local")]
    [InlineData("CREATE TABLE system_schema.mine (k int PRIMARY KEY)")]
    [InlineData("DROP KEYSPACE system")]
    public void system_keyspaces_refuse_writes_and_schema_changes(string cql)
    {
        var error = new EngineHarness().Fails(cql);

        Assert.Equal(CqlErrorCode.Unauthorized, error.Code);
        Assert.Contains("is not user-modifiable", error.Message, StringComparison.Ordinal);
    }
}
