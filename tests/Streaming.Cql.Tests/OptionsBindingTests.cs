using Microsoft.Extensions.Configuration;

namespace Streaming.Cql.Tests;

public class OptionsBindingTests
{
    [Fact]
    public void client_options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cql:ContactPoints:0"] = "cassandra-1:9042",
            ["Cql:ContactPoints:1"] = "cassandra-2",
            ["Cql:Keyspace"] = "streaming",
            ["Cql:LocalDatacenter"] = "dc1",
            ["Cql:Username"] = "svc",
            ["Cql:Password"] = "secret",
            ["Cql:DefaultConsistency"] = "LocalOne",
            ["Cql:RequestTimeout"] = "00:00:03",
            ["Cql:ConnectionsPerHost"] = "4",
            ["Cql:MaxRequestsPerConnection"] = "2048",
            ["Cql:ReconnectMaxDelay"] = "00:02:00",
            ["Cql:Tls:Enabled"] = "true",
            ["Cql:Tls:TargetHost"] = "cassandra.internal",
        }).Build();

        var options = configuration.GetSection("Cql").Get<CqlClientOptions>()!;

        Assert.Equal(["cassandra-1:9042", "cassandra-2"], options.ContactPoints);
        Assert.Equal(("streaming", "dc1", "svc", "secret"), (options.Keyspace, options.LocalDatacenter, options.Username, options.Password));
        Assert.Equal((CqlConsistency.LocalOne, TimeSpan.FromSeconds(3), 4, 2048), (options.DefaultConsistency, options.RequestTimeout, options.ConnectionsPerHost, options.MaxRequestsPerConnection));
        Assert.Equal(TimeSpan.FromMinutes(2), options.ReconnectMaxDelay);
        Assert.True(options.Tls.Enabled);
        Assert.Equal("cassandra.internal", options.Tls.TargetHost);
        options.Validate();
    }
}
