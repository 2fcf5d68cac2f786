using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Streaming.Senders.Tests;

/// <summary>Options bound from configuration, and the hosted senders registered from them.</summary>
public sealed class SenderConfigurationTests
{
    [Fact]
    public void options_bind_kafka_sections_and_configured_retry_tiers_replace_the_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Consumer:BootstrapServers"] = "k:9092",
            ["Kafka:Consumer:AutoOffsetReset"] = "Error",
            ["Kafka:Producer:BootstrapServers"] = "k:9092",
            ["SchemaRegistry:Url"] = "http://r:8081",
            ["Senders:sms:RetryDelays:0"] = "00:00:01",
            ["Senders:sms:RetryDelays:1"] = "00:00:05",
            ["Senders:sms:RatePerSecond"] = "25",
            ["Senders:Channels"] = "sms, email",
        }).Build();

        var o = SendersServiceCollectionExtensions.ChannelSenderOptionsFrom(configuration, "sms");

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)], o.RetryDelays);
        Assert.Equal(25, o.RatePerSecond);
        Assert.Equal(("k:9092", AutoOffsetReset.Error), (o.Consumer.BootstrapServers, o.Consumer.AutoOffsetReset));
        Assert.Equal(("senders-sms", "notifications.sms"), (o.ResolvedGroupId, o.ResolvedTopic));
        Assert.Equal(["notifications.sms.retry.1s", "notifications.sms.retry.5s"], o.ResolvedRetryTopics);
        Assert.Equal(["sms", "email"], SendersServiceCollectionExtensions.SelectedChannels(configuration));
        Assert.Empty(o.Validate());
    }

    [Fact]
    public async Task add_channel_senders_registers_one_hosted_sender_per_selected_channel_sharing_one_log()
    {
        var dir = Path.Combine(Path.GetTempPath(), "senders-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["channel"] = "sms,email",
            ["Kafka:Consumer:BootstrapServers"] = "127.0.0.1:1",
            ["Kafka:Producer:BootstrapServers"] = "127.0.0.1:1",
            ["SchemaRegistry:Url"] = "http://127.0.0.1:1",
            ["DeliveryLog:Path"] = Path.Combine(dir, "log.db"),
            ["Providers:Twilio:AccountSid"] = "AC1",
            ["Providers:Twilio:AuthToken"] = "token",
            ["Providers:Twilio:From"] = "+15005550006",
            ["Providers:SendGrid:ApiKey"] = "SG.key",
            ["Providers:SendGrid:FromEmail"] = "noreply@example.com",
            ["Senders:email:Enabled"] = "true",
        }).Build();
        var services = new ServiceCollection().AddChannelSenders(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var hosted = provider.GetServices<IHostedService>().Cast<ChannelSender>().ToList();
            Assert.Equal(["sms", "email"], hosted.Select(s => s.Channel));
            Assert.Equal("senders-email", hosted[1].Options.ResolvedGroupId);
        }

        Directory.Delete(dir, recursive: true);
    }
}
