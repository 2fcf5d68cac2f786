using Streaming.Cql.Cluster;
using Streaming.Cql.Protocol;
using Streaming.Cql.Requests;
using Streaming.Cql.Statements;

namespace Streaming.Cql.Tests;

public class StatementDefaultsTests
{
    private static RequestBuilder Builder(CqlClientOptions options) => new(options, new TimestampGenerator(TimeProvider.System));

    [Fact]
    public void statements_take_the_options_defaults_unless_they_set_their_own()
    {
        var options = new CqlClientOptions { DefaultSerialConsistency = CqlConsistency.LocalSerial, PageSize = 500 };
        var builder = Builder(options);

        var plain = Assert.IsType<QueryRequest>(builder.Build(new SimpleStatement("SELECT"), null, null)).Parameters;
        Assert.Equal((CqlConsistency.LocalQuorum, CqlConsistency.LocalSerial, 500), (plain.Consistency, plain.SerialConsistency, plain.PageSize));
        Assert.NotNull(plain.DefaultTimestamp);

        var own = new SimpleStatement("SELECT").WithConsistency(CqlConsistency.One).WithSerialConsistency(CqlConsistency.Serial).WithPageSize(7).WithTimestamp(99);
        var set = Assert.IsType<QueryRequest>(builder.Build(own, null, null)).Parameters;
        Assert.Equal((CqlConsistency.One, CqlConsistency.Serial, 7, 99L), (set.Consistency, set.SerialConsistency, set.PageSize, set.DefaultTimestamp));
    }

    [Fact]
    public void client_timestamps_are_strictly_increasing_microseconds_and_can_be_turned_off()
    {
        var builder = Builder(new CqlClientOptions());
        var stamps = Enumerable.Range(0, 1000).Select(_ => ((QueryRequest)builder.Build(new SimpleStatement("INSERT"), null, null)).Parameters.DefaultTimestamp!.Value).ToList();
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
        Assert.InRange(stamps[0], DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1000, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds() * 1000);

        var off = Builder(new CqlClientOptions { ClientTimestamps = false });
        Assert.Null(((QueryRequest)off.Build(new SimpleStatement("INSERT"), null, null)).Parameters.DefaultTimestamp);
    }

    [Fact]
    public void a_batch_is_idempotent_when_all_its_statements_are_unless_it_counts()
    {
        var builder = Builder(new CqlClientOptions());
        var idempotent = new SimpleStatement("INSERT").WithIdempotence(true);
        Assert.True(builder.IsIdempotent(new BatchStatement(BatchType.Unlogged).Add(idempotent).Add(idempotent)));
        Assert.False(builder.IsIdempotent(new BatchStatement(BatchType.Unlogged).Add(idempotent).Add(new SimpleStatement("UPDATE"))));
        Assert.False(builder.IsIdempotent(new BatchStatement(BatchType.Counter).Add(idempotent)));
        Assert.True(builder.IsIdempotent(new BatchStatement(BatchType.Logged).Add(new SimpleStatement("UPDATE")).WithIdempotence(true)));
        Assert.True(Builder(new CqlClientOptions { DefaultIdempotence = true }).IsIdempotent(new SimpleStatement("SELECT")));
    }

    [Fact]
    public void an_empty_batch_and_named_values_in_a_batch_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Builder(new CqlClientOptions()).Build(new BatchStatement(), null, null));
        Assert.Throws<ArgumentException>(() => new BatchStatement().Add(new SimpleStatement("INSERT", new Dictionary<string, object?> { ["k"] = "v" })));
    }

    [Fact]
    public void reconnection_delays_double_from_the_base_and_stop_at_the_maximum()
    {
        var schedule = new ReconnectionSchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.InRange(schedule.DelayBefore(0).TotalSeconds, 0.85, 1.15);
        Assert.InRange(schedule.DelayBefore(3).TotalSeconds, 8 * 0.85, 8 * 1.15);
        Assert.InRange(schedule.DelayBefore(40).TotalSeconds, 30 * 0.85, 30);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", 9042)]
    [InlineData("cassandra:9142", "cassandra", 9142)]
    [InlineData("[::1]:9043", "::1", 9043)]
    [InlineData("[fe80::1]", "fe80::1", 9042)]
    public void contact_points_parse_with_an_optional_port(string text, string host, int port)
    {
        Assert.Equal(new CqlEndpoint(host, port), CqlEndpoint.Parse(text, 9042));
    }

    [Fact]
    public void invalid_options_are_refused_at_connect_naming_the_option()
    {
        Assert.Contains("ContactPoints", Assert.Throws<ArgumentException>(() => new CqlClientOptions().Validate()).Message, StringComparison.Ordinal);
        var options = new CqlClientOptions { ContactPoints = ["h"], MaxRequestsPerConnection = 40_000 };
        Assert.Contains("MaxRequestsPerConnection", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
