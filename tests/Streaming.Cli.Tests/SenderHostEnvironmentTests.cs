using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.DeliveryLog;
using Streaming.LocalStack;
using Streaming.Senders;
using Streaming.Testing;

namespace Streaming.Cli.Tests;

/// <summary>The environment file `up` writes lets one more senders host join the running stack, on its delivery log.</summary>
public sealed class SenderHostEnvironmentTests
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_senders_host_configured_from_the_file_joins_the_stacks_groups_on_its_cassandra_log()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings { ApiPort = 0, DeliveryLogStore = DeliveryLogOptions.CassandraStore }, NullLoggerFactory.Instance, null, ct);
        var file = await SenderHostEnvironment.WriteAsync(stack);

        // Read it the way `set -a && . file` exports it and the host's environment provider binds it.
        var settings = File.ReadAllLines(file).Where(l => !l.StartsWith('#') && l.Contains('=')).Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0].Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv[1].Trim('\''));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var sms = SendersServiceCollectionExtensions.ChannelSenderOptionsFrom(configuration, "sms");
        var log = DeliveryLogRegistration.OptionsFrom(configuration);
        Assert.Equal(stack.Cluster.BootstrapServers, sms.Consumer.BootstrapServers);
        Assert.Equal(stack.Settings.RetryDelays, sms.RetryDelays);
        Assert.Equal(stack.DeliveryLog.CqlServer!.Address, Assert.Single(log.Cassandra.ContactPoints));
        Assert.True(File.Exists(configuration["Providers:Apns:PrivateKeyFile"]) && File.Exists(configuration["Providers:Fcm:ServiceAccountFile"]));

        // And a host built from it starts its senders and gets partitions next to the stack's own.
        await using var services = new ServiceCollection().AddLogging().AddChannelSenders(configuration, ["sms"]).BuildServiceProvider();
        var sender = services.GetServices<IHostedService>().OfType<ChannelSender>().Single();
        await sender.StartAsync(ct);
        await sender.Assigned.WaitAsync(TimeSpan.FromSeconds(60), ct);
        await sender.StopAsync(ct);
    }
}
