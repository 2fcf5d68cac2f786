using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>Adding the publisher to a service from configuration, and what a missing setting says.</summary>
public sealed class PublisherConfigurationTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_service_adds_the_publisher_in_one_line_from_configuration()
    {
        var topic = fx.NewTopic("pub-di");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:Producer:BootstrapServers"] = fx.BootstrapServers,
            ["Kafka:Producer:LingerMs"] = "2",
            ["SchemaRegistry:Url"] = fx.RegistryUrl,
            ["NotificationPublisher:SourceService"] = "billing-service",
            ["NotificationPublisher:Topic"] = topic,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddNotificationPublisher(config).BuildServiceProvider();

        var publisher = services.GetRequiredService<NotificationPublisher>();
        var options = services.GetRequiredService<IOptions<NotificationPublisherOptions>>().Value;
        await publisher.PublishAsync(PublisherSamples.Valid("di-user"), TestContext.Current.CancellationToken);

        Assert.Equal(2, options.Producer.LingerMs);
        Assert.True(options.EffectiveProducerConfig().EnableIdempotence);
        Assert.Equal(Confluent.Kafka.Acks.All, options.EffectiveProducerConfig().Acks);
        Assert.Equal("billing-service", Assert.Single(fx.Read<NotificationRequested>(topic, 1)).Value!.sourceService);
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void missing_configuration_is_reported_at_start_with_the_setting_name()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NotificationPublisher:SourceService"] = "svc",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddNotificationPublisher(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationPublisherOptions>>().Value);
        Assert.Contains("Kafka:Producer:BootstrapServers", ex.Message);
        Assert.Contains("SchemaRegistry:Url", ex.Message);
    }
}
