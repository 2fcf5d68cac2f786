namespace Streaming.LocalCql.Tests;

public sealed class ClusteringOrderTests
{
    private static List<byte[]> ClusteringValuesAfterInserting(string type, IEnumerable<CqlValue> values, string order = "ASC")
    {
        var harness = EngineHarness.WithKeyspace($"CREATE TABLE t (k int, c {type}, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c {order})");
        foreach (var value in values)
        {
            harness.Run("INSERT INTO t (k, c) VALUES (0, ?)", value);
        }

        return [.. harness.Rows("SELECT c FROM t WHERE k = 0").Rows.Select(r => Bytes.Cell(r[0]))];
    }

    [Fact]
    public void int_bigint_and_timestamp_clustering_sort_as_signed_numbers()
    {
        Assert.Equal([-300, -1, 0, 2, 256], ClusteringValuesAfterInserting("int", [Bytes.Int(256), Bytes.Int(-1), Bytes.Int(0), Bytes.Int(-300), Bytes.Int(2)]).Select(b => Bytes.AsInt(b)));
        Assert.Equal([long.MinValue, -5, 7, long.MaxValue], ClusteringValuesAfterInserting("bigint", [Bytes.BigInt(7), Bytes.BigInt(long.MaxValue), Bytes.BigInt(-5), Bytes.BigInt(long.MinValue)]).Select(b => Bytes.AsLong(b)));
        Assert.Equal([-86_400_000L, 0, 1_000], ClusteringValuesAfterInserting("timestamp", [Bytes.BigInt(1_000), Bytes.BigInt(-86_400_000), Bytes.BigInt(0)]).Select(b => Bytes.AsLong(b)));
    }

    [Fact]
    public void text_and_blob_clustering_sort_as_unsigned_bytes()
    {
        var texts = ClusteringValuesAfterInserting("text", new[] { "b", "B", "é", "a", "ab", "" }.Select(Bytes.Text)).Select(b => Bytes.AsText(b));
        Assert.Equal(["", "B", "a", "ab", "b", "é"], texts);

        var blobs = ClusteringValuesAfterInserting("blob", [Bytes.Raw([0xFF]), Bytes.Raw([0x01]), Bytes.Raw([0x80, 0x00]), Bytes.Raw([0x7F])]);
        Assert.Equal([[0x01], [0x7F], [0x80, 0x00], [0xFF]], blobs);
    }

    [Fact]
    public void timeuuid_clustering_sorts_by_the_time_it_encodes()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = new[] { 5, 1, 300, 2 }.Select(s => start.AddSeconds(s)).ToList();

        var sorted = ClusteringValuesAfterInserting("timeuuid", times.Select(t => CqlValue.Of(Types.TimeUuid.Create(t))));

        Assert.Equal([1, 2, 5, 300], sorted.Select(u => (int)((Types.TimeUuid.Timestamp(u) - Types.TimeUuid.Timestamp(Types.TimeUuid.Create(start))) / 10_000_000)));
    }

    [Fact]
    public void uuid_clustering_sorts_by_version_then_bytes()
    {
        var v4High = Guid.Parse("f0000000-0000-4000-8000-000000000000");
        var v4Low = Guid.Parse("10000000-0000-4000-8000-000000000000");
        var v1 = Guid.Parse("ffffffff-0000-1000-8000-000000000000");

        var sorted = ClusteringValuesAfterInserting("uuid", [Bytes.Uuid(v4High), Bytes.Uuid(v4Low), Bytes.Uuid(v1)]).Select(b => Bytes.AsUuid(b));

        Assert.Equal([v1, v4Low, v4High], sorted);
    }

    [Fact]
    public void descending_clustering_stores_rows_in_reverse_and_order_by_flips_them()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int, c int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
        foreach (var c in new[] { 2, 3, 1 })
        {
            harness.Run("INSERT INTO t (k, c) VALUES (0, ?)", Bytes.Int(c));
        }

        int[] Read(string cql) => [.. harness.Rows(cql).Rows.Select(r => Bytes.AsInt(r[0]))];

        Assert.Equal([3, 2, 1], Read("SELECT c FROM t WHERE k = 0"));
        Assert.Equal([1, 2, 3], Read("SELECT c FROM t WHERE k = 0 ORDER BY c ASC"));
        Assert.Equal([3, 2, 1], Read("SELECT c FROM t WHERE k = 0 ORDER BY c DESC"));
        Assert.Equal([3, 2], Read("SELECT c FROM t WHERE k = 0 AND c >= 2"));
        Assert.Equal([1], Read("SELECT c FROM t WHERE k = 0 ORDER BY c LIMIT 1"));
    }

    [Fact]
    public void clustering_prefix_and_range_slices_select_the_delivery_log_rows()
    {
        var harness = EngineHarness.WithKeyspace(
            "CREATE TABLE log (event_id text, channel text, target text, occurred_at timestamp, outcome text, PRIMARY KEY ((event_id), channel, target, occurred_at, outcome))");
        foreach (var (channel, target, at) in new[] { ("sms", "+1", 30), ("apns", "tok", 10), ("sms", "+1", 10), ("sms", "+2", 20), ("sms", "+1", 20) })
        {
            harness.Run("INSERT INTO log (event_id, channel, target, occurred_at, outcome) VALUES ('e', ?, ?, ?, 'delivered')",
                Bytes.Text(channel), Bytes.Text(target), Bytes.BigInt(at));
        }

        long[] Times(string where, params CqlValue[] values) =>
            [.. harness.Rows("SELECT occurred_at FROM log WHERE event_id = 'e' " + where, values).Rows.Select(r => Bytes.AsLong(r[0]))];

        Assert.Equal([10, 20, 30], Times("AND channel = 'sms' AND target = '+1'"));
        Assert.Equal([20, 30], Times("AND channel = 'sms' AND target = '+1' AND occurred_at > ?", Bytes.BigInt(10)));
        Assert.Equal([10, 20], Times("AND channel = 'sms' AND target = '+1' AND occurred_at >= 10 AND occurred_at < 30"));
        Assert.Equal([10, 20, 30, 20], Times("AND channel = 'sms'"));
        Assert.Equal([10, 20], Times("AND channel IN ('apns', 'sms') AND target IN ('tok', '+2')"));
        Assert.Equal([30, 20, 10], Times("AND channel = 'sms' AND target = '+1' ORDER BY channel DESC, target DESC, occurred_at DESC"));
    }

    [Fact]
    public void partitions_named_by_in_are_all_read_and_unrestricted_select_scans_every_partition()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k text, c int, PRIMARY KEY (k, c))");
        foreach (var k in new[] { "b", "a", "c" })
        {
            harness.Run("INSERT INTO t (k, c) VALUES (?, 1)", Bytes.Text(k));
        }

        Assert.Equal(["a", "c"], harness.TextColumn("SELECT k FROM t WHERE k IN ('c', 'a', 'x')"));
        Assert.Equal(["a", "b"], harness.TextColumn("SELECT k FROM t WHERE k IN ?",
            Bytes.Raw([0, 0, 0, 2, 0, 0, 0, 1, (byte)'b', 0, 0, 0, 1, (byte)'a'])));
        Assert.Equal(["a", "b", "c"], harness.TextColumn("SELECT k FROM t"));
    }

    [Fact]
    public void in_on_the_partition_key_with_order_by_sorts_all_rows_together_when_not_paged()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k text, c int, PRIMARY KEY (k, c))");
        foreach (var (k, c) in new[] { ("a", 1), ("a", 4), ("b", 2), ("b", 3) })
        {
            harness.Run("INSERT INTO t (k, c) VALUES (?, ?)", Bytes.Text(k), Bytes.Int(c));
        }

        var rows = harness.Rows("SELECT c FROM t WHERE k IN ('a', 'b') ORDER BY c DESC").Rows;

        Assert.Equal([4, 3, 2, 1], rows.Select(r => Bytes.AsInt(r[0])));
        var paged = Assert.Throws<CqlEngineException>(() => harness.Page("SELECT c FROM t WHERE k IN ('a', 'b') ORDER BY c DESC", 2, null));
        Assert.Contains("Cannot page queries with both ORDER BY and a IN restriction", paged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void set_literals_are_stored_sorted_and_deduplicated()
    {
        var harness = EngineHarness.WithKeyspace("CREATE TABLE t (k int PRIMARY KEY, s set<text>)");

        harness.Run("INSERT INTO t (k, s) VALUES (1, {'b', 'a', 'b'})");

        Assert.Equal(["a", "b"], Bytes.AsTextCollection(harness.Rows("SELECT s FROM t").Rows[0][0]));
    }
}
